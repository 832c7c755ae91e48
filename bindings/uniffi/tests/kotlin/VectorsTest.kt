// fixtures/vectors.json through the Kotlin bindings (the same checks as tests/vectors.rs), on the
// JVM with JNA. Compiled with the generated sources by scripts/test-bindings.sh:
//   java -Djna.library.path=<dir of libhashscreen_ffi.so> -cp test.jar:jna.jar VectorsTestKt fixtures
// Prints "N passed, N failed"; exits 1 on any failure.

import java.io.File
import uniffi.hashscreen.*

var passed = 0
var failed = 0

fun check(cond: Boolean, what: () -> String) {
    if (cond) passed++ else { failed++; System.err.println("FAIL: ${what()}") }
}

inline fun <reified E : Throwable> throws(what: String, block: () -> Unit) {
    try {
        block()
        check(false) { "$what: no exception" }
    } catch (e: Throwable) {
        check(e is E) { "$what: ${e::class.qualifiedName}: ${e.message}" }
    }
}

// ---- a minimal JSON reader (objects, arrays, strings, numbers, true/false/null) -----------------
class Json(private val s: String) {
    private var i = 0
    fun parse(): Any? { val v = value(); ws(); return v }
    private fun ws() { while (i < s.length && s[i].isWhitespace()) i++ }
    private fun value(): Any? {
        ws()
        return when (s[i]) {
            '{' -> obj()
            '[' -> arr()
            '"' -> str()
            't' -> { i += 4; true }
            'f' -> { i += 5; false }
            'n' -> { i += 4; null }
            else -> num()
        }
    }
    private fun obj(): Map<String, Any?> {
        val m = LinkedHashMap<String, Any?>()
        i++; ws()
        if (s[i] == '}') { i++; return m }
        while (true) {
            ws(); val k = str(); ws(); i++ // ':'
            m[k] = value(); ws()
            if (s[i++] == '}') return m
        }
    }
    private fun arr(): List<Any?> {
        val l = ArrayList<Any?>()
        i++; ws()
        if (s[i] == ']') { i++; return l }
        while (true) {
            l.add(value()); ws()
            if (s[i++] == ']') return l
        }
    }
    private fun str(): String {
        val b = StringBuilder()
        i++ // opening quote
        while (s[i] != '"') {
            if (s[i] == '\\') {
                i++
                when (s[i]) {
                    'n' -> b.append('\n'); 't' -> b.append('\t'); 'r' -> b.append('\r')
                    'b' -> b.append('\b'); 'f' -> b.append('\u000c')
                    'u' -> { b.append(s.substring(i + 1, i + 5).toInt(16).toChar()); i += 4 }
                    else -> b.append(s[i])
                }
                i++
            } else b.append(s[i++])
        }
        i++
        return b.toString()
    }
    private fun num(): Double {
        val start = i
        while (i < s.length && (s[i].isDigit() || s[i] in "+-.eE")) i++
        return s.substring(start, i).toDouble()
    }
}

@Suppress("UNCHECKED_CAST")
fun Any?.o(k: String): Any? = (this as Map<String, Any?>)[k]
@Suppress("UNCHECKED_CAST")
fun Any?.list(): List<Any?> = this as List<Any?>
fun Any?.s(k: String): String? = o(k) as String?

fun unhex(h: String): ByteArray = ByteArray(h.length / 2) { h.substring(2 * it, 2 * it + 2).toInt(16).toByte() }

fun main(args: Array<String>) {
    val fixtures = File(if (args.isNotEmpty()) args[0] else "fixtures")
    val v = Json(File(fixtures, "vectors.json").readText()).parse()
    val key = Key.fromHex(v.o("key").s("hex")!!)
    check(key.id() == v.o("key").s("key_id")) { "key id" }

    // Digests and canonical forms.
    val digests = v.o("digests").list()
    check(digests.size >= 8) { "digest vectors" }
    for (d in digests) {
        val signal = d.s("signal")!!
        val canonical = d.s("canonical")
        if (canonical != null) {
            val input = d.s("input")!!
            val got = when (signal) {
                "text" -> textStrictKey(input)
                "text_loose" -> textLooseKey(input)
                "text_shingle" -> textShingles(input, null)[0]
                "url" -> {
                    check(urlCanonicalize(input) == d.s("url_canonical")) { "url canonical $input" }
                    val e = urlExpressions(input)
                    check(e == d.o("expressions").list()) { "expressions of $input: $e" }
                    e[0]
                }
                else -> "?"
            }
            check(got == canonical) { "$signal canonical of $input: $got" }
        }
        val value = d.s("input_hex")?.let { unhex(it) } ?: (canonical ?: d.s("input")!!).toByteArray()
        val version = (d.o("version") as Double).toInt().toUShort()
        check(digest(key, signal, version, value) == d.s("digest")) { "digest $signal ${d.s("comment")}" }
    }

    // Lists, delta, verdicts.
    val lists = HashMap<String, Blocklist>()
    for (info in v.o("blocklists").list()) {
        val file = info.s("file")!!
        val list = Blocklist.open(File(fixtures, file).readBytes(), OpenOptions(keyId = key.id()))
        check(list.sequence() == (info.o("sequence") as Double).toLong().toULong()) { "sequence $file" }
        check(list.checksum() == info.s("checksum")) { "checksum $file" }
        check(list.signer() == info.s("signed_by")) { "signer $file" }
        lists[File(file).name] = list
    }
    val publisher = VerifyingKey.fromHex(v.o("publisher").s("public_key")!!)
    val opts = OpenOptions(publisher = publisher, minSequence = 1UL, keyId = key.id())
    val delta = File(fixtures, v.o("delta").s("file")!!).readBytes()
    lists["list-v1.hsbl"]!!.applyDelta(delta, opts).use { applied ->
        check(applied.toBytes().contentEquals(lists["list-v2-signed.hsbl"]!!.toBytes())) { "delta applied" }
    }
    throws<HashscreenException.Rollback>("rollback") {
        Blocklist.open(lists["list-v2-signed.hsbl"]!!.toBytes(), OpenOptions(publisher = publisher, minSequence = 3UL))
    }
    throws<HashscreenException.SignatureMissing>("unsigned") {
        Blocklist.open(lists["list-v1.hsbl"]!!.toBytes(), OpenOptions(publisher = publisher))
    }
    throws<HashscreenException.InvalidKeyLength>("short key") { Key.fromHex("00") }
    throws<HashscreenException.InvalidArgument>("signal name") { digest(key, "nope", 1u, ByteArray(0)) }

    var screened = 0
    for (c in v.o("screen").list()) {
        Screener(lists[c.s("blocklist")!!]!!, key).use { s ->
            val verdict = when (c.s("kind")) {
                "text" -> s.screenText(c.s("input")!!)
                "url" -> s.screenUrl(c.s("input")!!)
                "file" -> s.screen(listOf(MessagePart.File(unhex(c.s("input_hex")!!))))
                "image" -> s.screen(listOf(MessagePart.Image(File(fixtures, c.s("input_file")!!).readBytes())))
                else -> throw IllegalStateException("kind")
            }
            val want = c.o("verdict")
            check(verdict.matched == want.o("matched")) { "matched: ${c.s("comment")}" }
            val got = verdict.matches.map { it.signal to it.label }
            val exp = want.o("matches").list().map { it.s("signal") to it.s("label") }
            check(got == exp) { "matches of ${c.s("comment")}: $got" }
        }
        screened++
    }
    check(screened >= 10) { "screen cases" }

    // PDQ of the fixture images.
    for (img in v.o("pdq").o("images").list()) {
        val pdq = pdqFromImage(File(fixtures, img.s("file")!!).readBytes())
        check(pdq.hash == img.s("pdq")) { "pdq ${img.s("file")}" }
        check(pdq.quality.toInt() == (img.o("quality") as Double).toInt()) { "quality" }
        check(pdq.dihedral == img.o("dihedral").list()) { "dihedral ${img.s("file")}" }
        check(digest(key, "image_pdq", 1u, unhex(pdq.hash)) == img.s("digest")) { "pdq digest" }
    }

    // Build, screen a message, delta.
    val signer = SigningKey.generate()
    val image = File(fixtures, "images/corpus/0060.jpg").readBytes()
    val builder = BlocklistBuilder(key)
    builder.addText("scam", "Send the gift card codes now")
    builder.addImage("known-images", image)
    throws<HashscreenException.InvalidLabel>("label") { builder.addText("bad label!", "x") }
    val v1 = Blocklist.open(builder.buildSigned(signer), OpenOptions(publisher = signer.verifyingKey()))
    Screener(v1, key).use { s ->
        check(s.screenText("SEND the gift-card codes   now!").matched) { "text variant" }
        val verdict = s.screen(listOf(MessagePart.Text("hi"), MessagePart.Image("nope".toByteArray()), MessagePart.Image(image)))
        check(verdict.matched && verdict.matches.map { it.part }.toSet() == setOf(2UL)) { "message matches ${verdict.matches}" }
        check(verdict.unscreened.map { it.code } == listOf("unsupported_image_format")) { "unscreened" }
    }
    val b2 = BlocklistBuilder.fromBase(key, v1)
    b2.addText("scam", "a brand new scam text")
    val v2 = Blocklist.open(b2.build(), OpenOptions())
    val d = makeDelta(v1, v2, null)
    check(v1.applyDelta(d, OpenOptions()).toBytes().contentEquals(v2.toBytes())) { "made delta" }

    println("$passed passed, $failed failed")
    if (failed > 0) kotlin.system.exitProcess(1)
}
