// A minimal source/sink BIO over a socket. OpenSSL's own socket BIO writes with write(), which
// raises SIGPIPE when the peer is gone; this one uses send(MSG_NOSIGNAL) and records errno so
// a TCP reset can be told apart from other failures.
#include <sys/socket.h>

#include <cerrno>
#include <new>

#include "runner/transport/socket_util.h"
#include "runner/transport/tls_util.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0  // SO_NOSIGPIPE is set on the socket instead
#endif

namespace h2conform::transport::detail {
namespace {

struct SocketBioState {
  int fd = -1;
  bool eof = false;
  int last_errno = 0;
};

SocketBioState* state_of(BIO* bio) { return static_cast<SocketBioState*>(BIO_get_data(bio)); }

int bio_write(BIO* bio, const char* data, size_t len, size_t* written) {
  SocketBioState* st = state_of(bio);
  BIO_clear_retry_flags(bio);
  for (;;) {
    const ssize_t n = ::send(st->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      *written = static_cast<size_t>(n);
      return 1;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      BIO_set_retry_write(bio);
    } else {
      st->last_errno = errno;
    }
    return 0;
  }
}

int bio_read(BIO* bio, char* data, size_t len, size_t* read_bytes) {
  SocketBioState* st = state_of(bio);
  BIO_clear_retry_flags(bio);
  *read_bytes = 0;
  for (;;) {
    const ssize_t n = ::recv(st->fd, data, len, MSG_DONTWAIT);
    if (n > 0) {
      ack_quickly(st->fd);
      *read_bytes = static_cast<size_t>(n);
      return 1;
    }
    if (n == 0) {
      st->eof = true;  // OpenSSL checks BIO_eof() to report an unexpected EOF
      return 0;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      BIO_set_retry_read(bio);
    } else {
      st->last_errno = errno;
    }
    return 0;
  }
}

long bio_ctrl(BIO* bio, int cmd, long num, void* ptr) {
  (void)num;
  SocketBioState* st = state_of(bio);
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_EOF:
      return st->eof ? 1 : 0;
    case BIO_C_GET_FD:
      if (ptr != nullptr) *static_cast<int*>(ptr) = st->fd;
      return st->fd;
    default:
      return 0;
  }
}

int bio_destroy(BIO* bio) {
  delete state_of(bio);
  BIO_set_data(bio, nullptr);
  return 1;
}

// Created once and kept for the life of the process, as OpenSSL expects.
const BIO_METHOD* socket_method() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "h2c socket");
    if (m == nullptr) return m;
    BIO_meth_set_write_ex(m, bio_write);
    BIO_meth_set_read_ex(m, bio_read);
    BIO_meth_set_ctrl(m, bio_ctrl);
    BIO_meth_set_destroy(m, bio_destroy);
    return m;
  }();
  return method;
}

}  // namespace

BIO* new_socket_bio(int fd) {
  const BIO_METHOD* method = socket_method();
  if (method == nullptr) return nullptr;
  BIO* bio = BIO_new(method);
  if (bio == nullptr) return nullptr;
  auto* state = new (std::nothrow) SocketBioState{fd, false, 0};
  if (state == nullptr) {
    BIO_free(bio);
    return nullptr;
  }
  BIO_set_data(bio, state);
  BIO_set_init(bio, 1);
  return bio;
}

int socket_bio_errno(BIO* bio) {
  if (bio == nullptr || BIO_get_data(bio) == nullptr) return 0;
  return state_of(bio)->last_errno;
}

}  // namespace h2conform::transport::detail
