"""SayPro Marketplace Engagement."""
