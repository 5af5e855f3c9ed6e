using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Identity;
using RecordKv.Atproto.Repo;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Repo;

public sealed class RepositoryTests
{
    private static Task<Repository> LoadFixtureAsync(string name)
    {
        var stream = File.OpenRead(SharedFixtures.Path("real", "repos", name));
        return LoadAndDisposeAsync(stream);
    }

    private static async Task<Repository> LoadAndDisposeAsync(Stream stream)
    {
        await using (stream)
        {
            return await Repository.LoadAsync(stream);
        }
    }

    private static AtprotoPublicKey DidDocumentKey(string name)
    {
        var document = DidDocument.Parse(File.ReadAllBytes(SharedFixtures.Path("real", "repos", name)));
        return document.SigningKey.ShouldNotBeNull();
    }

    [Fact]
    public async Task LoadAsync_Bnewbold_Has38RecordsIn9Collections()
    {
        var repository = await LoadFixtureAsync("bnewbold.robocracy.org.20250310005405.car");

        repository.Did.ShouldBe("did:plc:nhxcyu4ewwhl5pqil4dotqjo");
        repository.Version.ShouldBe(3);
        repository.Rev.ShouldNotBeNull();
        repository.Records.Count.ShouldBe(38);
        repository.GetCollections().Count.ShouldBe(9);
        repository.BlockCount.ShouldBe(56);
        repository.UnreachableBlockCount.ShouldBe(0);
        repository.CommitCid.ShouldBe(repository.Commit.ComputeCid());
        foreach (var record in repository.Records)
        {
            record.Cid.Matches(record.Data.Span).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task LoadAsync_Greenground_TwoFollowsAndSignatureVerifiesWithDocumentKey()
    {
        var repository = await LoadFixtureAsync("greenground.repo.car");

        repository.Did.ShouldBe("did:plc:kzcqyc3unb33eh5sxzsfs25z");
        repository.Records.Count.ShouldBe(2);
        repository.Records.ShouldAllBe(r => r.Collection == "app.bsky.graph.follow");
        repository.VerifySignature(DidDocumentKey("greenground.didDoc.json")).ShouldBeTrue();
    }

    [Fact]
    public async Task LoadAsync_PaulStaging_V2WithUnreachableHistoryBlocks()
    {
        var repository = await LoadFixtureAsync("paul_staging.repo.car");

        repository.Did.ShouldBe("did:plc:cmpvykrzb2l22kj4ojlv3ox4");
        repository.Version.ShouldBe(2);
        repository.Rev.ShouldBeNull();
        repository.Records.Count.ShouldBe(185);
        repository.BlockCount.ShouldBe(452);
        repository.ReachableBlockCount.ShouldBe(237);
        repository.UnreachableBlockCount.ShouldBe(215);
        repository.VerifySignature(DidDocumentKey("paul_staging.didDoc.json")).ShouldBeTrue();
    }

    [Fact]
    public async Task VerifySignature_OtherAccountsKey_IsFalse()
    {
        var repository = await LoadFixtureAsync("paul_staging.repo.car");

        repository.VerifySignature(DidDocumentKey("greenground.didDoc.json")).ShouldBeFalse();
    }

    [Fact]
    public async Task TryGetRecord_KnownAndUnknownPaths()
    {
        var repository = await LoadFixtureAsync("bnewbold.robocracy.org.20250310005405.car");
        var first = repository.Records[0];

        repository.TryGetRecord(first.Collection, first.RecordKey, out var found).ShouldBeTrue();
        found.ShouldBe(first);
        repository.TryGetRecord(first.Collection, "no-such-key", out _).ShouldBeFalse();
    }

    [Fact]
    public void Load_MissingRecordBlock_ThrowsNamingTheRecord()
    {
        var car = File.ReadAllBytes(SharedFixtures.Path("real", "repos", "greenground.repo.car"));
        var full = Repository.Load(car);
        var victim = full.Records[1];
        var without = CarTestData.WithoutBlock(car, victim.Cid);

        var exception = Should.Throw<RepositoryFormatException>(() => Repository.Load(without));

        exception.Message.ShouldContain(victim.Path);
        exception.Message.ShouldContain(victim.Cid.ToString());
    }

    [Fact]
    public void Load_MissingMstNode_ThrowsNamingTheNode()
    {
        var car = File.ReadAllBytes(SharedFixtures.Path("real", "repos", "bnewbold.robocracy.org.20250310005405.car"));
        var full = Repository.Load(car);
        var without = CarTestData.WithoutBlock(car, full.DataCid);

        Should.Throw<RepositoryFormatException>(() => Repository.Load(without)).Message.ShouldContain(full.DataCid.ToString());
    }

    [Fact]
    public void Load_CorruptedBlock_Throws()
    {
        var car = File.ReadAllBytes(SharedFixtures.Path("real", "repos", "greenground.repo.car"));
        var corrupted = car.ToArray();
        corrupted[^1] ^= 0x01;

        Should.Throw<RepositoryFormatException>(() => Repository.Load(corrupted)).Message.ShouldContain("hash");
    }

    [Theory]
    [InlineData("")]
    [InlineData("0a")]
    [InlineData("00")]
    [InlineData("ffffffffffffffffffff01")]
    public void Load_MalformedCar_Throws(string hex)
    {
        Should.Throw<RepositoryFormatException>(() => Repository.Load(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Load_RootIsNotACommit_Throws()
    {
        var notACommit = Convert.FromHexString("a1616101");
        var cid = Cid.ForDagCbor(notACommit);
        var car = CarTestData.Write([cid], [(cid, notACommit)]);

        Should.Throw<RepositoryFormatException>(() => Repository.Load(car)).Message.ShouldContain("Commit lacks");
    }

    [Fact]
    public void Load_CorruptedExports_ThrowOnlyRepositoryFormatException()
    {
        var car = File.ReadAllBytes(SharedFixtures.Path("real", "repos", "greenground.repo.car"));
        var random = new Random(7);
        for (var round = 0; round < 1000; round++)
        {
            var mutated = car.ToArray();
            mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
            if (random.Next(4) == 0)
            {
                mutated = mutated[..random.Next(mutated.Length)];
            }

            try
            {
                Repository.Load(mutated);
            }
            catch (RepositoryFormatException)
            {
            }
        }
    }
}
