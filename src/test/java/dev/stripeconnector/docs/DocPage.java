package dev.stripeconnector.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Markdown page of the documentation, read as the docs test reads it: its fenced blocks, the
 * examples among them (see docs/reliability.md, "Examples in the docs"), and its prose.
 */
record DocPage(Path path, List<String> lines, List<Block> blocks, List<Example> examples) {

    private static final Pattern FENCE = Pattern.compile("^(\\s*)```\\s*([A-Za-z0-9_-]*)\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*example:\\s*(skip|given)\\s*:?\\s*(.*?)\\s*-->\\s*$");

    /** A fenced block: its language, its text (indentation of the fence removed), the line of its opening fence. */
    record Block(String language, String text, int line, List<Marker> markers) {
    }

    /** An {@code <!-- example: skip: why -->} or {@code <!-- example: given state -->} comment right before a block. */
    record Marker(String kind, String text, int line) {
    }

    /** A block of curl commands, with the JSON block that shows the last command's answer, if one follows it. */
    record Example(Block request, Block answer) {

        boolean skipped() {
            return request.markers().stream().anyMatch(m -> m.kind().equals("skip"));
        }

        List<String> givens() {
            return request.markers().stream().filter(m -> m.kind().equals("given")).map(Marker::text).toList();
        }

        String where(DocPage page) {
            return page.name() + ":" + request.line();
        }
    }

    String name() {
        return path.toString().replace('\\', '/');
    }

    static DocPage read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> blocks = new ArrayList<>();
        List<Marker> pending = new ArrayList<>();
        // For each block: were only blank lines (and markers) between it and the block before?
        List<Boolean> adjacent = new ArrayList<>();
        boolean sinceLastBlockOnlyBlank = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher marker = MARKER.matcher(line);
            Matcher fence = FENCE.matcher(line);
            if (marker.matches()) {
                if (marker.group(2).isBlank()) {
                    throw new AssertionError(path + ":" + (i + 1) + ": an example marker says why (skip) or what (given)");
                }
                pending.add(new Marker(marker.group(1), marker.group(2), i + 1));
            } else if (fence.matches()) {
                int indent = fence.group(1).length();
                StringBuilder text = new StringBuilder();
                int start = i + 1;
                i++;
                while (i < lines.size() && !lines.get(i).strip().equals("```")) {
                    String inner = lines.get(i);
                    int cut = Math.min(indent, inner.length() - inner.stripLeading().length());
                    text.append(inner.substring(cut)).append('\n');
                    i++;
                }
                if (i == lines.size()) {
                    throw new AssertionError(path + ":" + start + ": a fenced block is never closed");
                }
                adjacent.add(sinceLastBlockOnlyBlank && pending.isEmpty());
                blocks.add(new Block(fence.group(2).toLowerCase(), text.toString(), start, List.copyOf(pending)));
                pending.clear();
                sinceLastBlockOnlyBlank = true;
            } else if (!line.isBlank()) {
                if (!pending.isEmpty()) {
                    throw new AssertionError(path + ":" + pending.get(0).line() + ": an example marker must stand right before"
                            + " the ```sh block it is about");
                }
                sinceLastBlockOnlyBlank = false;
            }
        }
        if (!pending.isEmpty()) {
            throw new AssertionError(path + ":" + pending.get(0).line() + ": an example marker with no block after it");
        }
        List<Example> examples = new ArrayList<>();
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            boolean skipped = block.markers().stream().anyMatch(m -> m.kind().equals("skip"));
            // A skipped block is not read: it may be a script a reader adapts (pipes, variables) around its curl lines.
            boolean curls = isShell(block) && (skipped ? block.text().contains("curl ") : !Curl.parseAll(block.text()).isEmpty());
            if (!curls) {
                if (!block.markers().isEmpty()) {
                    throw new AssertionError(path + ":" + block.line() + ": an example marker on a block without curl commands");
                }
                continue;
            }
            Block answer = null;
            if (b + 1 < blocks.size() && blocks.get(b + 1).language().equals("json") && adjacent.get(b + 1)) {
                answer = blocks.get(b + 1);
            }
            examples.add(new Example(block, answer));
        }
        return new DocPage(path, List.copyOf(lines), List.copyOf(blocks), List.copyOf(examples));
    }

    private static boolean isShell(Block block) {
        return block.language().equals("sh") || block.language().equals("bash") || block.language().equals("shell");
    }

    /**
     * The page's prose, in units a list of values lives in: each paragraph (lines joined), each table
     * row and each list item on its own, outside fenced blocks.
     */
    List<Prose> prose() {
        List<Prose> units = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        int paragraphLine = 0;
        boolean inBlock = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (FENCE.matcher(line).matches() || (inBlock && line.strip().equals("```"))) {
                inBlock = !inBlock;
                continue;
            }
            if (inBlock) {
                continue;
            }
            String stripped = line.strip();
            boolean ownUnit = stripped.startsWith("|") || stripped.startsWith("- ") || stripped.startsWith("* ")
                    || stripped.matches("\\d+\\. .*") || stripped.startsWith("#");
            if (stripped.isEmpty() || ownUnit) {
                if (!paragraph.isEmpty()) {
                    units.add(new Prose(paragraph.toString(), paragraphLine));
                    paragraph.setLength(0);
                }
            }
            if (stripped.isEmpty()) {
                continue;
            }
            if (ownUnit && stripped.startsWith("|")) {
                units.add(new Prose(stripped, i + 1));
                continue;
            }
            if (paragraph.isEmpty()) {
                paragraphLine = i + 1;
            }
            paragraph.append(stripped).append(' ');
        }
        if (!paragraph.isEmpty()) {
            units.add(new Prose(paragraph.toString(), paragraphLine));
        }
        return units;
    }

    record Prose(String text, int line) {
    }
}
