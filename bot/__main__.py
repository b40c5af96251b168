"""`python -m bot`: the same terminal entry point as the docker-explain console script."""

from bot.cli import main

raise SystemExit(main())
