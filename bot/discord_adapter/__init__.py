"""The Discord adapter: discord.py cogs that turn interactions into core requests and render Replies."""
