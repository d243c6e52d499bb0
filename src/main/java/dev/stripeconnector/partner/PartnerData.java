package dev.stripeconnector.partner;

import java.util.List;

/**
 * Every table that holds a partner's data, each with the statement that deletes one partner's rows,
 * in an order the references between them allow (what refers to something goes before it). This is
 * the one place a partner's deletion lists what goes, and what its answer names: each table that gets a
 * {@code partner_id} gets its step here. The partner's own row goes last; as every partner table refers
 * to it without a cascade, a deletion that forgot a table fails instead of leaving orphans behind.
 */
final class PartnerData {

    /** One table and the statement deleting a partner's rows from it (its one parameter: the partner id). */
    record Step(String table, String delete) {
    }

    static final List<Step> TABLES = List.of(
            new Step("api_key", "delete from api_key where partner_id = ?"));

    private PartnerData() {
    }
}
