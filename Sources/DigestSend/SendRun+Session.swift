import CoalitionData
import DigestMailing
import Foundation

extension SendRun {
    /// One session's work: take the next member no other session has, make
    /// sure their row is in the ledger, wait for the pace, send, record;
    /// again until nothing is left for it. A session without a connection
    /// waits its turn to open one (``SendBoard/mayOpen(now:)``).
    func session(
        _ transport: any MessageTransport, board: SendBoard, byKey: [String: Int],
        progress: @escaping @Sendable (Progress) -> Void
    ) async throws(SendError) {
        var status = SessionStatus()
        do {
            try await work(transport, status: &status, board: board, byKey: byKey, progress: progress)
        } catch {
            await end(transport, status: status, board: board)
            throw error
        }
        await end(transport, status: status, board: board)
    }

    /// Whether the session is counted open on the board, or is the one opening.
    struct SessionStatus {
        var counted = false
        var opening = false
    }

    private func end(_ transport: any MessageTransport, status: SessionStatus, board: SendBoard) async {
        await transport.close()
        if status.opening { board.opened(false) }
        if status.counted { board.closed() }
    }

    private func work(
        _ transport: any MessageTransport, status: inout SessionStatus, board: SendBoard, byKey: [String: Int],
        progress: @escaping @Sendable (Progress) -> Void
    ) async throws(SendError) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(128 * 1024)
        while true {
            // A connection, or this session's turn to open one.
            if !status.opening {
                let isOpen = await transport.isOpen
                if status.counted && !isOpen {
                    board.closed()
                    status.counted = false
                }
                if !isOpen {
                    if let wait = board.mayOpen(now: clock()) {
                        if wait == .infinity { return }
                        try await pause(wait, board: board, progress: progress)
                        continue
                    }
                    status.opening = true
                }
            }
            let key: String
            switch board.next(now: clock()) {
            case .done: return
            case .wait(let seconds):
                try await pause(seconds, board: board, progress: progress)
                continue
            case .member(let next): key = next
            }
            guard let position = byKey[key] else {
                board.dropped(meanwhile: false)
                continue
            }
            let member = members[position]
            // The member's row exists before their message goes out: the
            // rows of new members are added a chunk at a time, so the first
            // message of a large list leaves within a second.
            try await ensureRow(key, board: board)
            await beforeEach()
            guard stillWanted(member) else {
                board.dropped(meanwhile: true)
                continue
            }
            let start = board.start(now: clock())
            let gap = start - clock()
            if gap > 0 {
                do {
                    try await sleep(gap)
                } catch {
                    throw SendError.interrupted
                }
            }
            if let signer {
                // Signed as sent (the transport dot-stuffs after this); the
                // sessions sign side by side, on as many cores as there are.
                switch Self.signed(personal, member, signer: signer, time: Int(clock())) {
                case .success(let bytes): buffer = bytes
                case .failure(let error): throw SendError.signing(cause: error)
                }
            } else {
                buffer.removeAll(keepingCapacity: true)
                personal.write(member, into: &buffer)
            }
            let result = try await transport.send(from: personal.sender(for: member), to: member.email, data: buffer)
            let now = clock()
            // The session opening keeps its turn until what the relay said
            // is on the board: a refusal for too many sessions lowers the
            // number allowed before the next session may try.
            let failed = try await settle(
                key, member: member, result: result, started: start, now: now, board: board)
            if status.opening {
                let open = await transport.isOpen
                board.opened(open)
                status = SessionStatus(counted: open, opening: false)
            }
            progress(board.progress(now: clock()))
            // This session's relay failed before the message's end: it
            // waits `retry.wait` (doubling) before it connects again, as a
            // session opening does.
            if failed, let wait = board.mayOpenAfterFailure(now: clock()) {
                try await pause(wait, board: board, progress: progress)
            }
        }
    }

    /// Records what became of `key`'s message, and what it says of the relay.
    ///
    /// - Returns: true when the relay failed before the message's end (no
    ///   connection, a drop, a 421).
    private func settle(
        _ key: String, member: Member, result: TransportResult, started: Double, now: Double, board: SendBoard
    ) async throws(SendError) -> Bool {
        // What the board keeps of the relay's words is shown to staff: the
        // address taken out.
        let said = { (reply: String) in Self.redact(reply, address: member.email) }
        switch result {
        case .deferred(let reply), .lost(let reply), .unreachable(let reply):
            switch RelaySignal(reply: reply) {
            case .rateLimit:
                board.throttled(key, reply: said(reply), started: started, now: now, limit: options.throttleLimit)
                return false
            case .connectionLimit:
                if board.refusedSession(key, reply: said(reply), now: now) { return false }
            case .none: break
            }
        default: break
        }
        switch result {
        case .accepted(let reply):
            try await record("write") { try await ledger.markSent(key, reply: reply, now: now) }
            board.settled(now: now) { $0.sentNow += 1 }
        case .rejected(let reply):
            try await record("write") { try await ledger.markPermanent(key, reply: reply, now: now) }
            board.settled(now: now) { $0.failedNow += 1 }
            do {
                try await refused(member, reply)
            } catch {
                throw SendError.state(path: "the suppression list", cause: error)
            }
        case .deferred(let reply):
            try await retryLater(key, reply: reply, now: now, board: board, relayWorking: true)
        case .lost(let reason):
            // The relay failed before the message's end (a drop, a 421):
            // no session connects again before `retry.wait`, doubling.
            try await retryLater(key, reply: reason, now: now, board: board, relayWorking: false)
            board.relayFailed(said(reason), now: now, wait: retry.delay, limit: options.relayFailureLimit)
        case .uncertain(let reason):
            try await record("write") { try await ledger.markUncertain(key, reply: reason, now: now) }
            board.settledUnclear()
            board.relayFailed(said(reason), now: now, wait: nil, limit: options.relayFailureLimit)
        case .unreachable(let reason):
            // Not offered: no attempt charged, first in line again.
            board.putBack(key)
            board.relayFailed(said(reason), now: now, wait: retry.delay, limit: options.relayFailureLimit)
        }
        if board.checkpointDue(now: now) {
            try await record("write") { try await ledger.checkpoint() }
        }
        switch result {
        case .lost, .unreachable: return true
        default: return false
        }
    }

    /// Records a refusal for now: tried again in this run after a wait,
    /// or, once this run's attempts are used up, left for the next run.
    private func retryLater(_ key: String, reply: String, now: Double, board: SendBoard, relayWorking: Bool)
        async throws(SendError)
    {
        let attempts = board.countAttempt(key)
        let next = attempts >= retry.attempts ? nil : now + retry.delay(after: attempts)
        try await record("write") { try await ledger.markTemporary(key, reply: reply, nextTry: next, now: now) }
        board.retry(key, at: next, relayWorking: relayWorking)
    }

    /// Makes sure `key`'s row is in the ledger, adding the next chunk of
    /// new members' rows when it is not (one session adds; the others that
    /// need it wait for the same chunk).
    private func ensureRow(_ key: String, board: SendBoard) async throws(SendError) {
        while true {
            let adding: Task<Void, any Error>? = board.shared.withLock { shared in
                guard shared.rows.needsAdding(key) else { return nil }
                if let adding = shared.adding { return adding.task }
                let batch = shared.rows.batch(upTo: key) { personal.messageID(for: $0) }
                let markFilled = !shared.filled
                let task = Task {
                    try await self.record("write") { try await self.ledger.add(batch.rows, now: self.clock()) }
                    if markFilled { try await self.record("write the lock of") { try await self.lock?.markFilled() } }
                }
                shared.adding = (task, batch.end)
                return task
            }
            guard let adding else { return }
            do {
                try await adding.value
            } catch let error as SendError {
                throw error
            } catch {
                throw .ledger(path: ledger.location, doing: "write", cause: error)
            }
            board.shared.withLock { shared in
                if let current = shared.adding, current.task == adding {
                    shared.rows.added = current.end
                    shared.filled = true
                    shared.adding = nil
                }
            }
        }
    }

    /// Waits `seconds`, reporting at least every progress interval.
    private func pause(_ seconds: Double, board: SendBoard, progress: @Sendable (Progress) -> Void)
        async throws(SendError)
    {
        var remaining = max(seconds, 0)
        repeat {
            // Short waits (for a turn to open a session) are not news.
            if remaining >= 1 {
                progress(board.progress(now: clock(), waiting: remaining, problem: board.problem))
            }
            let step = min(remaining, options.progressInterval)
            do {
                try await sleep(step)
            } catch {
                throw .interrupted
            }
            remaining -= step
        } while remaining > 0
    }
}
