namespace RecordKv.Builder.Tests;

public sealed class BoundedLruCacheTests
{
    [Fact]
    public void Set_Full_EvictsLeastRecentlyUsed()
    {
        var cache = new BoundedLruCache<string, int>(3);
        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.Set("c", 3);
        cache.TryGet("a", out _).ShouldBeTrue(); // a is now the most recently used; b the least

        cache.Set("d", 4);

        cache.TryGet("b", out _).ShouldBeFalse();
        cache.TryGet("a", out var a).ShouldBeTrue();
        a.ShouldBe(1);
        cache.TryGet("c", out _).ShouldBeTrue();
        cache.TryGet("d", out _).ShouldBeTrue();
        cache.Count.ShouldBe(3);
        cache.Evictions.ShouldBe(1);
    }

    [Fact]
    public void Set_ExistingKey_ReplacesAndRefreshes()
    {
        var cache = new BoundedLruCache<string, int>(2);
        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.Set("a", 10);

        cache.Set("c", 3);

        cache.TryGet("a", out var a).ShouldBeTrue();
        a.ShouldBe(10);
        cache.TryGet("b", out _).ShouldBeFalse();
    }

    [Fact]
    public void Remove_MiddleEntry_KeepsTheOthersInRecencyOrder()
    {
        var cache = new BoundedLruCache<string, int>(3);
        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.Set("c", 3);

        cache.Remove("a").ShouldBeTrue();
        cache.Set("d", 4);
        cache.Set("e", 5); // evicts b, the least recently used of b, c, d

        cache.TryGet("b", out _).ShouldBeFalse();
        cache.TryGet("c", out var c).ShouldBeTrue();
        c.ShouldBe(3);
        cache.TryGet("d", out _).ShouldBeTrue();
        cache.TryGet("e", out _).ShouldBeTrue();
        cache.Remove("zzz").ShouldBeFalse();
    }

    [Fact]
    public void Set_ManyMoreThanCapacity_StaysBounded()
    {
        var cache = new BoundedLruCache<int, int>(1500);
        for (var i = 0; i < 10_000; i++)
        {
            cache.Set(i, i);
        }

        cache.Count.ShouldBe(1500);
        cache.TryGet(9_999, out var last).ShouldBeTrue();
        last.ShouldBe(9_999);
        cache.TryGet(8_499, out _).ShouldBeFalse();
        cache.TryGet(8_500, out _).ShouldBeTrue();
    }
}
