"""The bureau's inspection of an office: random samples of its visits and residents to check
against what it recorded (sampling.py); the yearly evaluation lives in server/evaluation/."""
