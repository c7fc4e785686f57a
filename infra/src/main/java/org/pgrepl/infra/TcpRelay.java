package org.pgrepl.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP relay in front of one server, for network faults that a process control cannot
 * make: {@link #stall()} stops forwarding bytes while keeping every connection open (a hung
 * network: the client's reads block until its own socket timeout), {@link #cut()} closes every
 * connection and refuses new ones at once (a dropped host), {@link #heal()} restores both.
 */
public final class TcpRelay implements AutoCloseable {
    private final Server target;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean stalled;
    private volatile boolean cut;
    private volatile boolean closed;

    TcpRelay(Server target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "pgrepl-relay-" + target.name());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The server behind this relay. */
    public Server target() {
        return target;
    }

    /** The relay's own loopback port. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code host:port} of the relay, as it appears in a pgrepl URL. */
    public String hostAndPort() {
        return "127.0.0.1:" + port();
    }

    /** Stops forwarding in both directions; connections stay open and new ones are accepted but hang. */
    public void stall() {
        stalled = true;
    }

    /** Closes every open connection and closes new ones as soon as they arrive. */
    public void cut() {
        cut = true;
        sockets.forEach(TcpRelay::closeQuietly);
        sockets.clear();
    }

    /** Forwards again (stalled bytes flow on; after a cut, new connections work). */
    public void heal() {
        cut = false;
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(target.host(), target.port()), 5_000);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, "up");
                pump(upstream, client, "down");
            } catch (IOException e) {
                // listener closed, or the server is down: the client sees its connection closed
            }
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    awaitFlowing();
                    if (cut || closed) {
                        break;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "pgrepl-relay-" + target.name() + "-" + direction);
        t.setDaemon(true);
        t.start();
    }

    private void awaitFlowing() {
        synchronized (gate) {
            while (stalled && !cut && !closed) {
                try {
                    gate.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Closes the listener and every connection. */
    @Override
    public void close() {
        closed = true;
        heal();
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.forEach(TcpRelay::closeQuietly);
    }

    @Override
    public String toString() {
        return "relay :" + port() + " -> " + target;
    }
}
