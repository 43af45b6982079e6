package org.gpcrace.report.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A Chrome DevTools Protocol connection over the JDK's WebSocket client: numbered commands
 * answered by id, events handed to listeners. Commands for a page carry its session id
 * (flattened sessions), so one connection drives the browser and its pages.
 */
final class DevTools implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private final Duration timeout;

    private DevTools(WebSocket socket, Duration timeout, Receiver receiver) {
        this.socket = socket;
        this.timeout = timeout;
        receiver.owner = this;
    }

    static DevTools connect(String url, Duration timeout) throws IOException {
        Receiver receiver = new Receiver();
        try {
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(URI.create(url), receiver).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            DevTools d = new DevTools(ws, timeout, receiver);
            receiver.ready.complete(null);
            return d;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IOException("cannot connect to Chromium's DevTools at " + url + ": " + e, e);
        }
    }

    void onEvent(Consumer<JsonNode> listener) { listeners.add(listener); }

    /** Sends {@code method} with {@code params} (in {@code session}, or to the browser when null), waits for the result. */
    JsonNode call(String session, String method, Map<String, ?> params) throws IOException {
        long id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (session != null) msg.put("sessionId", session);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            socket.sendText(JSON.writeValueAsString(msg), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            JsonNode reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.has("error")) throw new IOException(method + " failed: " + reply.get("error"));
            return reply.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + " interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(method + " got no answer within " + timeout.toSeconds() + " s: " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    private void dispatch(String text) {
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (IOException e) {
            return; // not ours to judge: the protocol only sends JSON
        }
        if (msg.has("id")) {
            CompletableFuture<JsonNode> f = pending.get(msg.get("id").asLong());
            if (f != null) f.complete(msg);
        } else {
            for (Consumer<JsonNode> l : listeners) l.accept(msg);
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        socket.abort();
    }

    /** Reassembles fragmented messages (screenshots arrive in many) before dispatching them. */
    private static final class Receiver implements WebSocket.Listener {
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        volatile DevTools owner;
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                ready.join();
                owner.dispatch(text);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            DevTools d = owner;
            if (d != null) d.pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }
}
