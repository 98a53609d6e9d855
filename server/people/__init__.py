"""Who is who and who may do what: passwords, device tokens, unit scopes, accounts, audit."""
