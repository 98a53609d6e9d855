"""The scheduler process: periodic coverage jobs, one acting scheduler, every run recorded.

Two guards keep the jobs single: a database lease (lease.py), without which a scheduler does
nothing, and a claim per occurrence (runs.py), so that even two lease holders could not act
twice. schedule.py holds the jobs and their times, commands.py the `rounds` commands.
"""
