"""Scenario tests of every Slack listener, through app.dispatch and a fake Slack Web API."""
