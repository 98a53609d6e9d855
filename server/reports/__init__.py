"""Supervisor reports: follow-ups, satisfaction, activity, devices, exports, the register."""
