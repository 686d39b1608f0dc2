// The system's DNS resolver (glibc's libresolv, from Debian's libc6-dev):
// res_nquery asks the servers of /etc/resolv.conf, or one given server,
// over UDP and, when an answer is truncated, TCP; ns_initparse and
// ns_parserr read the answer. The helpers below only set the server and
// read fields that C offers as macros.
#include <arpa/inet.h>
#include <netdb.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <string.h>

/// Queries `name` for records of `type` (class IN) and writes the answer
/// into `answer`: through `server` (an IPv4 or IPv6 address) on `port`, or
/// the system's resolvers when `server` is NULL. Returns the answer's
/// length, or -1 with `*failure` set to h_errno's value: HOST_NOT_FOUND (no
/// such name), NO_DATA (the name has no record of that type), TRY_AGAIN or
/// NO_RECOVERY (no server answered, or it failed), or -2 when `server` is
/// not an address.
static inline int digest_resolv_query(const char *server, int port, const char *name, int type,
                                      unsigned char *answer, int size, int *failure) {
    struct __res_state state;
    memset(&state, 0, sizeof state);
    if (res_ninit(&state) != 0) {
        *failure = NO_RECOVERY;
        return -1;
    }
    struct sockaddr_in6 six;
    struct sockaddr_in6 *kept = state._u._ext.nsaddrs[0];
    if (server != NULL) {
        struct sockaddr_in four;
        memset(&four, 0, sizeof four);
        memset(&six, 0, sizeof six);
        if (inet_pton(AF_INET, server, &four.sin_addr) == 1) {
            four.sin_family = AF_INET;
            four.sin_port = htons((unsigned short)port);
            state.nsaddr_list[0] = four;
            state._u._ext.nsaddrs[0] = NULL;
        } else if (inet_pton(AF_INET6, server, &six.sin6_addr) == 1) {
            six.sin6_family = AF_INET6;
            six.sin6_port = htons((unsigned short)port);
            state._u._ext.nsaddrs[0] = &six;
        } else {
            res_nclose(&state);
            *failure = -2;
            return -1;
        }
        state.nscount = 1;
    }
    state.retrans = 3;
    state.retry = 2;
    int length = res_nquery(&state, name, ns_c_in, type, answer, size);
    *failure = state.res_h_errno;
    // The server set here is no allocation of the resolver's: give it back its own to free.
    state._u._ext.nsaddrs[0] = kept;
    res_nclose(&state);
    return length;
}

/// How many records the answer section of `message` holds.
static inline int digest_resolv_answers(const ns_msg *message) { return ns_msg_count(*message, ns_s_an); }
/// The response code of `message` (0: no error; 3: no such name).
static inline int digest_resolv_rcode(const ns_msg *message) { return ns_msg_getflag(*message, ns_f_rcode); }
