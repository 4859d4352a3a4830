package dev.underpass.dataplane.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one DynamoDB request (awsJson1.0: {@code POST /}, the operation in {@code X-Amz-Target:
 * DynamoDB_20120810.<Operation>}) asks for: {@code dynamodb:<Operation>} on the table(s) it names. The table comes
 * from {@code TableName} (or an ARN there), the batch and transaction calls name several ({@code RequestItems} keys,
 * {@code TransactItems[].<Op>.TableName}), each one check; {@code ListTables} and the account-level calls are on
 * {@code *}. Tables are taken to be the caller's (account) in the request's region. The body is read only for
 * these names, by pattern, not as a full JSON document: the upstream validates it.
 */
public record DynamoDbCall(String operation, List<ActionCheck> checks, Map<String, Object> context) {
    private static final Pattern TABLE_NAME = Pattern.compile("\"TableName\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern REQUEST_ITEMS = Pattern.compile("\"RequestItems\"\\s*:\\s*\\{");
    private static final Pattern KEY = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)+)\"\\s*:");

    public DynamoDbCall {
        checks = List.copyOf(checks);
        context = Map.copyOf(context);
    }

    /** Reads one request; {@code target} is the {@code X-Amz-Target} header (null: not a DynamoDB call). */
    public static DynamoDbCall of(String target, byte[] body, String region, String account) {
        String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
        if (op.isEmpty() || target.indexOf('.') < 0) {
            throw new IllegalArgumentException("no X-Amz-Target operation");
        }
        String json = new String(body, StandardCharsets.UTF_8);
        String action = "dynamodb:" + op;
        List<String> tables = new ArrayList<>();
        if (op.equals("BatchGetItem") || op.equals("BatchWriteItem")) {
            tables.addAll(requestItemTables(json));
        } else {
            Matcher m = TABLE_NAME.matcher(json);
            while (m.find()) {
                if (!tables.contains(m.group(1))) {
                    tables.add(m.group(1));
                }
            }
        }
        List<ActionCheck> checks = new ArrayList<>();
        String prefix = "arn:aws:dynamodb:" + region + ":" + (account == null ? "*" : account) + ":table/";
        for (String t : tables) {
            checks.add(new ActionCheck(action, t.startsWith("arn:") ? t : prefix + t));
        }
        if (checks.isEmpty()) {
            checks.add(new ActionCheck(action, "*"));
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("aws:SecureTransport", "false");
        return new DynamoDbCall(op, checks, context);
    }

    /** The top-level keys of the {@code RequestItems} object (table names or ARNs). */
    private static List<String> requestItemTables(String json) {
        List<String> out = new ArrayList<>();
        Matcher start = REQUEST_ITEMS.matcher(json);
        if (!start.find()) {
            return out;
        }
        int depth = 0;
        boolean inString = false;
        for (int i = start.end() - 1; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == '"') {
                if (depth == 1) {
                    Matcher k = KEY.matcher(json).region(i, json.length());
                    if (k.lookingAt()) {
                        out.add(k.group(1));
                        i = k.end() - 1;
                        continue;
                    }
                }
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    break;
                }
            }
        }
        return out;
    }
}
