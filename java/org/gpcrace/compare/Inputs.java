package org.gpcrace.compare;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens an input of `gpcrace compare`: a results.json (or a directory holding one) or a
 * litmus7/herd7 log, recognised by content, and checks it is on the expected side.
 */
public final class Inputs {
    private Inputs() {}

    public enum Side { MODEL, HARDWARE }

    public static Input open(Path path, Side side) {
        Path p = Files.isDirectory(path) ? path.resolve("results.json") : path;
        String file = p.toString();
        if (!Files.isRegularFile(p)) throw new InputException(Position.of(file), "no such file");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p))).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(Position.of(file), "not UTF-8 text (neither JSON nor a litmus log)");
        } catch (IOException e) {
            throw new InputException(Position.of(file), "cannot read: " + e.getMessage());
        }
        String head = text.stripLeading();
        Input in;
        if (head.startsWith("{") || head.startsWith("[")) in = ResultsReader.read(file, text);
        else if (LitmusLog.looksLike(text)) in = LitmusLog.read(file, text);
        else if (head.isEmpty()) throw new InputException(Position.of(file), "empty file");
        else {
            throw new InputException(Position.of(file).at(1, 1),
                    "neither JSON (a results.json starts with '{') nor a litmus log (no 'Observation NAME Never|Sometimes|Always P N' line)");
        }
        if (in.kind() != null) {
            String want = side == Side.MODEL ? "model" : "hardware";
            if (!want.equals(in.kind())) {
                throw new InputException(in.kindWhere(), "kind '" + in.kind() + "' where a " + want
                        + " results file is expected (gpcrace compare MODEL HARDWARE...)");
            }
        }
        return in;
    }
}
