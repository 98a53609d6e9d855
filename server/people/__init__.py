"""Who is who and who may do what: passwords, device tokens, the Scope of a person's units,
accounts, the audit trail, and the API's shapes of accounts and logins (schemas)."""
