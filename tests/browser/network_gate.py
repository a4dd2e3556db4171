"""A TCP gate between the browser and the live server: cut it and the network is truly gone.

Chromium's network emulation (``set_network_conditions(offline=True)``) covers the page, but
requests a service worker makes can still reach the server, so a test of offline judging that
relied on it alone could pass while the tablet was in fact online. Behind this gate the browser
talks to ``gate.url``; ``gate.cut()`` closes every open connection and refuses new ones (the
browser sees connection errors, as when the venue's Wi-Fi drops) until ``gate.restore()``.
"""

import socket
import threading


class NetworkGate:
    def __init__(self, upstream_port: int, port: int, host: str = "localhost"):
        self.upstream = ("127.0.0.1", upstream_port)
        self.open = True
        self.connections = 0  # connections let through
        self.sent = 0  # chunks of requests let through, to tell whether anything got out
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", port))
        self._server.listen(64)
        self.port = self._server.getsockname()[1]  # port 0: one the system picks
        self.url = f"http://{host}:{self.port}"
        self._running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self._running:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if not self.open:
                self._reset(client)
                continue
            try:
                upstream = socket.create_connection(self.upstream)
            except OSError:
                self._reset(client)
                continue
            with self._lock:
                self.connections += 1
                self._sockets.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, outgoing: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data or not self.open:
                    break
                if outgoing:
                    with self._lock:
                        self.sent += 1
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                self._close(sock)

    @staticmethod
    def _reset(sock: socket.socket) -> None:
        # Close with RST, as a dropped network does, rather than a polite FIN.
        try:
            sock.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
        except OSError:
            pass
        sock.close()

    def _close(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def cut(self) -> None:
        self.open = False
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            self._close(sock)

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self._running = False
        self.cut()
        try:
            self._server.shutdown(socket.SHUT_RDWR)  # wakes the thread waiting in accept()
        except OSError:
            pass
        self._server.close()
