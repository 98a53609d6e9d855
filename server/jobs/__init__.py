"""The scheduler process: one acting scheduler by lease, every job run recorded."""
