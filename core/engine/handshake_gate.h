// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace benchdeck::engine {

// How many TLS handshakes one worker runs at once. A handshake in progress holds tens of KiB of key
// exchange and certificate state; a thousand at once, as a 1,000-connection run starts, left 20 MiB
// of freed memory in the process for good. The client's CPU does one at a time anyway, so queueing
// the rest costs no throughput. Time spent queued is the client's: the handshake's clock starts
// when its turn comes.
// `Connection` has a `bool hasHandshakeTurn`, which the gate keeps.
template <typename Connection>
class HandshakeGate {
public:
    static constexpr int kMaxInFlight = 64;

    explicit HandshakeGate(size_t connections) { queue_.reserve(connections); }

    // True: its turn is now. False: it waits, and leave() starts it when a turn frees up.
    bool enter(Connection& c)
    {
        if (inFlight_ < kMaxInFlight) {
            ++inFlight_;
            c.hasHandshakeTurn = true;
            return true;
        }
        queue_.push_back(&c);
        return false;
    }

    // A connection leaves, its handshake ended or given up while waiting; each waiting connection
    // whose turn comes is handed to `start`.
    template <typename Start>
    void leave(Connection& c, Start&& start)
    {
        if (c.hasHandshakeTurn) {
            c.hasHandshakeTurn = false;
            --inFlight_;
        } else {
            std::erase(queue_, &c);
        }
        while (!closed_ && !queue_.empty() && inFlight_ < kMaxInFlight) {
            Connection& next = *queue_.front();
            queue_.erase(queue_.begin());
            ++inFlight_;
            next.hasHandshakeTurn = true;
            start(next);
        }
    }

    // The worker is ending: closing its connections must not start others.
    void close()
    {
        queue_.clear();
        closed_ = true;
    }

private:
    std::vector<Connection*> queue_;
    int inFlight_ = 0;
    bool closed_ = false;
};

} // namespace benchdeck::engine
