-- The committed resources, one row each, as the same JSON the SQLite store keeps.
CREATE TABLE resource (
    id     TEXT PRIMARY KEY,
    kind   TEXT NOT NULL,
    owner  TEXT NOT NULL,
    region TEXT NOT NULL,
    body   JSONB NOT NULL
);
CREATE INDEX resource_owner_region ON resource (owner, region);

-- One row: the world's version (one more per commit), and the newest version whose change rows were pruned.
CREATE TABLE world_version (
    singleton     BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    version       BIGINT NOT NULL,
    pruned_through BIGINT NOT NULL
);
INSERT INTO world_version (singleton, version, pruned_through) VALUES (TRUE, 0, 0);

-- What each commit changed, so that a node behind by a few versions applies those instead of reloading everything.
-- A removed resource keeps its last body (the node needs its type to drop it).
CREATE TABLE change (
    version BIGINT NOT NULL,
    id      TEXT NOT NULL,
    removed BOOLEAN NOT NULL,
    body    JSONB NOT NULL,
    PRIMARY KEY (version, id)
);
