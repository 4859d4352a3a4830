package dev.underpass.store;

import dev.underpass.model.Resource;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The columns of a {@code resource} row, bound in one place so that the SQLite and PostgreSQL backends, whose
 * statements differ (an upsert spelled two ways, JSON cast or not), cannot disagree on what a row holds.
 */
final class ResourceRows {
    private ResourceRows() {}

    /**
     * Adds {@code r} to {@code upsert}'s batch; the statement's parameters are, in order, id, kind, owner, region and
     * the JSON body.
     */
    static void addUpsert(PreparedStatement upsert, Resource r) throws SQLException {
        upsert.setString(1, r.id());
        upsert.setString(2, r.resourceType());
        upsert.setString(3, r.ownerId());
        upsert.setString(4, r.region());
        upsert.setString(5, Json.write(r));
        upsert.addBatch();
    }
}
