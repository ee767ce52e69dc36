-- A rule's receivers may be roles too: its messages then also go to the e-mail addresses and
-- phone numbers of the users holding them, through the rule's e-mail and SMS channels.
ALTER TABLE alert_rule ADD COLUMN roles VARCHAR(1000) NOT NULL DEFAULT '';
