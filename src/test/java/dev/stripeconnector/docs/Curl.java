package dev.stripeconnector.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A curl command line of the docs, read the way a POSIX shell reads it (quotes, backslash line
 * continuations, {@code #} comments, {@code $NAME} in double quotes), with the options the docs use.
 * Anything else in an example block is refused, so that an example is always something a reader can paste.
 */
record Curl(String method, String url, Map<String, String> headers, String body) {

    /** Every curl command of a shell block, in order; an empty list when the block runs no curl. */
    static List<Curl> parseAll(String script) {
        if (script.lines().noneMatch(line -> line.strip().startsWith("curl "))) {
            return List.of();
        }
        List<List<Word>> commands = commands(script);
        boolean anyCurl = commands.stream().anyMatch(c -> c.get(0).text().equals("curl"));
        if (!anyCurl) {
            return List.of();
        }
        List<Curl> curls = new ArrayList<>();
        for (List<Word> command : commands) {
            if (!command.get(0).text().equals("curl")) {
                throw new AssertionError("an example block runs curl only, not: " + command.get(0).text());
            }
            curls.add(of(command));
        }
        return curls;
    }

    /** A word of a command, quotes removed. */
    private record Word(String text) {
    }

    private static Curl of(List<Word> words) {
        String method = null;
        String url = null;
        String body = null;
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i).text();
            switch (word) {
                case "-s", "-S", "-sS", "--silent", "--show-error" -> {
                }
                case "-X", "--request" -> method = words.get(++i).text();
                case "-H", "--header" -> {
                    String header = words.get(++i).text();
                    int colon = header.indexOf(':');
                    headers.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
                }
                case "-d", "--data", "--data-raw", "--data-binary" -> body = words.get(++i).text();
                default -> {
                    if (word.startsWith("-")) {
                        throw new AssertionError("curl option " + word + " is not one the docs test knows: add it to docs/Curl");
                    }
                    if (url != null) {
                        throw new AssertionError("curl with two URLs: " + url + " and " + word);
                    }
                    url = word;
                }
            }
        }
        if (url == null) {
            throw new AssertionError("curl without a URL");
        }
        if (method == null) {
            method = body == null ? "GET" : "POST";
        }
        return new Curl(method, url, headers, body);
    }

    /** Splits a script into commands (at unquoted newlines), each a list of words. */
    private static List<List<Word>> commands(String script) {
        List<List<Word>> commands = new ArrayList<>();
        List<Word> command = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (c == '\\' && i + 1 < script.length() && script.charAt(i + 1) == '\n') {
                i += 2;
                continue;
            }
            if (c == '\n' || c == ' ' || c == '\t') {
                if (word != null) {
                    command.add(new Word(word.toString()));
                    word = null;
                }
                if (c == '\n' && !command.isEmpty()) {
                    commands.add(command);
                    command = new ArrayList<>();
                }
                i++;
                continue;
            }
            if (c == '#' && word == null) {
                while (i < script.length() && script.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\'') {
                int end = script.indexOf('\'', i + 1);
                word.append(script, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (script.charAt(i) != '"') {
                    char d = script.charAt(i);
                    if (d == '\\' && "\"\\$".indexOf(script.charAt(i + 1)) >= 0) {
                        word.append(script.charAt(i + 1));
                        i += 2;
                    } else if (d == '$') {
                        int end = i + 1;
                        while (end < script.length() && (Character.isLetterOrDigit(script.charAt(end)) || script.charAt(end) == '_')) {
                            end++;
                        }
                        // Kept as written: the docs test substitutes the variables it lists.
                        word.append(script, i, end);
                        i = end;
                    } else {
                        word.append(d);
                        i++;
                    }
                }
                i++;
            } else if (c == '$' || c == '`' || c == '|' || c == ';' || c == '&' || c == '>' || c == '<') {
                throw new AssertionError("an example is one curl per line, without shell expansions or pipes: " + script);
            } else {
                word.append(c);
                i++;
            }
        }
        if (word != null) {
            command.add(new Word(word.toString()));
        }
        if (!command.isEmpty()) {
            commands.add(command);
        }
        return commands;
    }
}
