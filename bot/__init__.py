"""docker-explain: a Slack bot that explains Docker concepts from a curated knowledge base."""
