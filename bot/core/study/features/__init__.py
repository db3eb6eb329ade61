"""The study loop's command handlers: `async def handler(tutor, request) -> Reply`."""
