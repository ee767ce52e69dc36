-- Where alerts reach a user: the monitor sends a rule's messages to the e-mail addresses and
-- phone numbers of the users holding the rule's roles (docs/monitoring.md, Receivers).
ALTER TABLE auth_user
    ADD COLUMN email VARCHAR(254) NULL,
    ADD COLUMN phone VARCHAR(32)  NULL;
