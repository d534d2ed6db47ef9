"""Messaging channels: WeCom, Telegram and a Rasa-compatible socket.io endpoint.

Every inbound message goes through one path (``service.reply``) into the shared chat
pipeline, as the student the platform account is linked to; unlinked accounts reach no data.
"""
