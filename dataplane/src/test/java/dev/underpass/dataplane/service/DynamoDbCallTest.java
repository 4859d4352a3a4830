package dev.underpass.dataplane.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DynamoDbCallTest {
    private static DynamoDbCall call(String op, String body) {
        return DynamoDbCall.of("DynamoDB_20120810." + op, body.getBytes(StandardCharsets.UTF_8), "eu-west-1",
                "123456789012");
    }

    /** The call's checks name exactly these resources, in this order. */
    private static void assertResources(String op, String body, String... resources) {
        assertThat(call(op, body).checks()).extracting(ActionCheck::resource).containsExactly(resources);
    }

    @Test
    void getItem_isOnTheNamedTable() {
        assertThat(call("GetItem", "{\"TableName\": \"orders\", \"Key\": {\"id\": {\"S\": \"1\"}}}").checks())
                .containsExactly(new ActionCheck("dynamodb:GetItem",
                        "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"));
    }

    @Test
    void batchCalls_checkEveryTableOfRequestItems_butNotKeysInsideThem() {
        assertResources("BatchWriteItem", "{\"RequestItems\": {\"a\": [{\"PutRequest\": {\"Item\": {\"x\":"
                + " {\"S\": \"y\"}}}}], \"b\": [{\"DeleteRequest\": {\"Key\": {\"k\": {\"S\": \"v\"}}}}]}}",
                "arn:aws:dynamodb:eu-west-1:123456789012:table/a", "arn:aws:dynamodb:eu-west-1:123456789012:table/b");
    }

    @Test
    void transactions_checkEachTable_andTableArnsAreKept() {
        assertResources("TransactWriteItems", "{\"TransactItems\": [{\"Put\": {\"TableName\": \"a\"}},"
                + " {\"Delete\": {\"TableName\": \"arn:aws:dynamodb:eu-west-1:999999999999:table/b\"}}]}",
                "arn:aws:dynamodb:eu-west-1:123456789012:table/a", "arn:aws:dynamodb:eu-west-1:999999999999:table/b");
    }

    @Test
    void listTables_isOnStar_andNoTargetIsRefused() {
        assertThat(call("ListTables", "{}").checks()).containsExactly(new ActionCheck("dynamodb:ListTables", "*"));
        assertThatThrownBy(() -> DynamoDbCall.of(null, new byte[0], "eu-west-1", null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
