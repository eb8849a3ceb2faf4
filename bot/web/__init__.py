"""The web channel: a chat page, a JSON API and Telegram's webhook, in one Starlette application.

`app.create_app` builds the application; `server.run` serves it with uvicorn (`python -m bot web`),
with the Telegram application next to it when WEBHOOK_URL is set.
"""
