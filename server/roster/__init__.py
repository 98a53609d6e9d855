"""Who is visited: units, residents, their QR codes, roster change numbers and the phone's pull."""
