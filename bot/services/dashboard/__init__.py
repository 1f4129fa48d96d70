"""What the dashboard shows, as plain data, and who may see it (`access`).

Every figure comes from the services the digest, /xephang and the export use
(`bot.services.figures`, `bot.services.digests`, `bot.services.indicators`), so the pages
agree with them.
"""
