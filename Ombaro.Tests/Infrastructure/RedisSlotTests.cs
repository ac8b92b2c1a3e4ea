using Ombaro.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace Ombaro.Tests.Infrastructure;

public sealed class RedisSlotTests
{
    [Theory]   // expected slots as redis-server 7.0 answers CLUSTER KEYSLOT for the same keys
    [InlineData("123456789", 12739)]
    [InlineData("foo", 12182)]
    [InlineData("bar", 5061)]
    [InlineData("{user1000}.following", 3443)]
    [InlineData("{user1000}.followers", 3443)]
    [InlineData("foo{}{bar}", 8363)]           // an empty first tag: the whole key is hashed
    [InlineData("foo{{bar}}zap", 4015)]        // the tag is "{bar"
    [InlineData("foo{bar}{zap}", 5061)]        // only the first tag counts
    public void the_slot_is_crc16_of_the_key_or_its_first_hash_tag(string key, int slot) =>
        Assert.Equal(slot, RedisSlot.Of((RedisKey)key));
}
