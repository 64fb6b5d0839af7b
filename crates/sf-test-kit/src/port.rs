//! Loopback ports for the tests.

use std::net::TcpListener;

/// A loopback port nothing listens on (at the time of asking).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A loopback port held by a socket that is bound but not listening: connecting to it
/// is refused, as to a server that is down, and no other test running meanwhile can
/// take it. [`ReservedPort::release`] frees it for the server that comes back.
pub struct ReservedPort {
    socket: tokio::net::TcpSocket,
    port: u16,
}

impl ReservedPort {
    pub fn new() -> ReservedPort {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let port = socket.local_addr().unwrap().port();
        ReservedPort { socket, port }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Gives the port up and returns it, to be bound at once.
    pub fn release(self) -> u16 {
        drop(self.socket);
        self.port
    }
}

impl Default for ReservedPort {
    fn default() -> Self {
        Self::new()
    }
}
