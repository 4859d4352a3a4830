-- Bodies are kept as json (the text as written) rather than jsonb: jsonb refuses the escape \u0000, and a client may
-- send a NUL character in any string AWS accepts (a name, a tag value); SQLite keeps such text as it is.
-- Nothing queries inside a body, so nothing is lost by not decomposing it.
ALTER TABLE resource ALTER COLUMN body TYPE JSON;
ALTER TABLE change ALTER COLUMN body TYPE JSON;
