using System.Text.Json;
using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Car;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Identity;
using RecordKv.Atproto.Mst;

namespace RecordKv.Simulator.Tests;

/// <summary>Loads a getRepo CAR the way a resyncing consumer does: blocks hashed, commit signature checked against the DID document, MST walked.</summary>
internal static class RepoCheck
{
    /// <summary>Every record (uri → cid) of the verified repository.</summary>
    public static Dictionary<string, string> LoadVerified(byte[] car, DidDocument document)
    {
        var contents = CarReader.ReadAll(car);
        var blocks = new BlockMap();
        foreach (var block in contents.Blocks)
        {
            blocks.Add(block.Cid, block.Data);
        }

        var root = contents.Roots.ShouldHaveSingleItem();
        blocks.TryGet(root, out var commitBlock).ShouldBeTrue();
        var (did, rev, data, signature) = ReadCommit(commitBlock.Span);
        did.ShouldBe(document.Id);
        var unsigned = RecordKv.Atproto.Repo.Commit.EncodeUnsigned(did, data, rev);
        document.SigningKey.ShouldNotBeNull().Verify(unsigned, signature).ShouldBeTrue($"commit signature of {did}");

        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var leaf in MerkleSearchTree.Load(data, blocks).Walk())
        {
            blocks.Contains(leaf.Value).ShouldBeTrue($"record block {leaf.Key}");
            records[$"at://{did}/{leaf.Key}"] = leaf.Value.ToString();
        }

        // The project's repository loader agrees: commit root, MST rebuilt to data, every record present and hashed.
        var repository = RecordKv.Atproto.Repo.Repository.Load(car);
        repository.VerifySignature(document.SigningKey).ShouldBeTrue();
        repository.DataCid.ShouldBe(data);
        repository.Records.Count.ShouldBe(records.Count);
        foreach (var record in repository.Records)
        {
            records[$"at://{did}/{record.Path}"].ShouldBe(record.Cid.ToString());
        }

        return records;
    }

    private static (string Did, string Rev, Cid Data, byte[] Signature) ReadCommit(ReadOnlySpan<byte> block)
    {
        var reader = new DagCborReader(block);
        string did = "", rev = "";
        Cid data = default;
        byte[] signature = [];
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            switch (reader.ReadText())
            {
                case "did":
                    did = reader.ReadText();
                    break;
                case "rev":
                    rev = reader.ReadText();
                    break;
                case "data":
                    data = reader.ReadCid();
                    break;
                case "sig":
                    signature = reader.ReadBytes().ToArray();
                    break;
                case "version":
                    reader.ReadInt64().ShouldBe(3);
                    break;
                default:
                    reader.SkipValue();
                    break;
            }
        }

        return (did, rev, data, signature);
    }

    /// <summary>Parses <c>/_sim/expected</c>.</summary>
    public static List<ExpectedAccount> ParseExpected(string text)
    {
        var accounts = new List<ExpectedAccount>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var records = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var record in root.GetProperty("records").EnumerateArray())
            {
                records[record.GetProperty("uri").GetString()!] = record.GetProperty("cid").GetString()!;
            }

            accounts.Add(new ExpectedAccount(root.GetProperty("did").GetString()!, root.GetProperty("status").GetString()!, root.GetProperty("rev").GetString()!, records));
        }

        return accounts;
    }
}

internal sealed record ExpectedAccount(string Did, string Status, string Rev, Dictionary<string, string> Records);
