"""Group activities: recorded on the phone with their attendees and photos (docs/activities.md)."""
