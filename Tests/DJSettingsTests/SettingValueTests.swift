import DJSettings
import Testing

@Suite struct SettingValueTests {
    /// Expected values are CPython's repr() of the same strings.
    @Test func strReprMatchesPython() {
        #expect(SettingValue.quote("a'b") == #""a'b""#)
        #expect(SettingValue.quote(#"say "hi""#) == #"'say "hi"'"#)
        #expect(SettingValue.quote(#"both ' ""#) == #"'both \' "'"#)
        #expect(SettingValue.quote("tab\tnl\n") == #"'tab\tnl\n'"#)
        #expect(SettingValue.quote("\u{200B} zero") == #"'\u200b zero'"#)
        #expect(SettingValue.quote("é ü") == "'é ü'")
        #expect(SettingValue.quote("\u{0}\u{7F}") == #"'\x00\x7f'"#)
        #expect(SettingValue.quote("\u{1F600}") == "'\u{1F600}'")
        #expect(SettingValue.quote("\u{E000}") == #"'\ue000'"#)
    }

    @Test func bytesReprMatchesPython() {
        #expect(SettingValue.bytes("\u{FF}\n'").pythonRepr == #"b"\xff\n'""#)
    }

    @Test func truthinessAndPlaceholders() {
        #expect(!SettingValue.string("").isTruthy)
        #expect(SettingValue.path("").isTruthy)
        #expect(!SettingValue.list([]).isTruthy)
        #expect(SettingValue.string("https://djstatic-unset-BUCKET.s3.amazonaws.com/").dependsOnUnsetEnvironment)
        #expect(SettingValue.dict([.init(key: .string("a"), value: .placeholder(variable: "X"))]).dependsOnUnsetEnvironment)
        #expect(DjangoVersion("6.1a1") == DjangoVersion(6, 1))
        #expect(DjangoVersion("4.2.30")! < DjangoVersion(5, 0))
    }
}
