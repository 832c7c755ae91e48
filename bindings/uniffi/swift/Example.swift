// Usage example of the Swift bindings (Sources/Hashscreen/hashscreen.swift). Not compiled here:
// this machine has no Swift toolchain (see bindings/README.md). The same calls are run in Kotlin
// and Python by scripts/test-bindings.sh.
import Foundation

/// Client side: load the list shipped by the platform, verify it, screen an outgoing message.
func screenOutgoing(listBytes: Data, deploymentKeyHex: String, publisherHex: String,
                    heldSequence: UInt64, text: String, photo: Data) throws -> Bool {
    let key = try Key.fromHex(hex: deploymentKeyHex)
    let options = OpenOptions(
        publisher: try VerifyingKey.fromHex(hex: publisherHex),  // require the publisher's signature
        minSequence: heldSequence,                              // reject rollbacks
        keyId: key.id())
    let list: Blocklist
    do {
        list = try Blocklist.open(bytes: listBytes, options: options)
    } catch HashscreenError.Rollback(let message), HashscreenError.BadSignature(let message) {
        print("keeping the list we have: \(message)")  // messages never contain content
        throw HashscreenError.Rollback(message: message)
    }
    // A Screener is immutable and Sendable: build it once per list, share it between threads.
    let screener = try Screener(list: list, key: key)
    let verdict = screener.screen(parts: [.text(text: text), .image(bytes: photo)])
    for m in verdict.matches {
        print("part \(m.part) matched \(m.signal) list \(m.label)")
    }
    for u in verdict.unscreened {
        print("part \(u.part) not screened: \(u.code)")  // e.g. image_low_quality
    }
    return verdict.matched
}

/// Trust-and-safety side: build and sign a list (usually done with Python or the CLI).
func buildList(key: Key, signer: SigningKey, scamTexts: [String], images: [Data]) throws -> Data {
    let builder = BlocklistBuilder(key: key)
    for t in scamTexts { try builder.addText(label: "scam", text: t) }
    for i in images { try builder.addImage(label: "known-images", bytes: i) }
    return try builder.buildSigned(signer: signer)
}
