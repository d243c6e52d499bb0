-- Whom a person should ask when a connection link is spent or expired: an email address or a URL the partner
-- sets in the console (or PUT /api/v1/connector), shown on those pages. Optional; a pod of the previous version
-- neither reads nor writes the column.
alter table connector_settings add column support_contact varchar(200);
