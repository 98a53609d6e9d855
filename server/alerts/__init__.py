"""Alerts for supervisors: raised once, resolved when their cause ends, sent in a daily digest."""
