using BenchmarkDotNet.Attributes;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Benchmarks;

/// <summary>The syntax checks a firehose consumer runs per operation: DID, collection NSID, record key, TID rev, AT-URI, datetime.</summary>
[MemoryDiagnoser]
[MedianColumn]
[OperationsPerSecond]
public class SyntaxBenchmarks
{
    private const string DidText = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    private const string NsidText = "app.bsky.feed.post";
    private const string RecordKeyText = "3l3qo2vutsw2b";
    private const string AtUriText = "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3l3qo2vutsw2b";
    private const string DatetimeText = "2024-09-10T12:34:56.789Z";
    private const string HandleText = "alice.bsky.social";

    private static readonly byte[] DidUtf8 = System.Text.Encoding.UTF8.GetBytes(DidText);
    private static readonly byte[] AtUriUtf8 = System.Text.Encoding.UTF8.GetBytes(AtUriText);

    private readonly TidClock _clock = new(clockId: 5);

    [Benchmark]
    public bool DidIsValidUtf8() => Did.IsValid(DidUtf8);

    [Benchmark]
    public Did DidParseString() => Did.Parse(DidText);

    [Benchmark]
    public Handle HandleParseString() => Handle.Parse(HandleText);

    [Benchmark]
    public Nsid NsidParseString() => Nsid.Parse(NsidText);

    [Benchmark]
    public RecordKey RecordKeyParseString() => RecordKey.Parse(RecordKeyText);

    [Benchmark]
    public Tid TidParse() => Tid.Parse(RecordKeyText);

    [Benchmark]
    public string TidFormat() => Tid.Parse(RecordKeyText).ToString();

    [Benchmark]
    public Tid TidClockNext() => _clock.Next();

    [Benchmark]
    public AtUri AtUriParseString() => AtUri.Parse(AtUriText);

    [Benchmark]
    public bool AtUriIsValidUtf8() => AtUri.IsValid(AtUriUtf8);

    [Benchmark]
    public AtprotoDatetime DatetimeParseString() => AtprotoDatetime.Parse(DatetimeText);

    [Benchmark]
    public Language LanguageParseString() => Language.Parse("pt-BR");
}
