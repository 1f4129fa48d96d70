"""`python -m bot.cli`, as the console script."""

from bot.cli.main import main

raise SystemExit(main())
