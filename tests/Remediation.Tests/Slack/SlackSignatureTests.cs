using System.Text;
using Remediation.Service.Approvals.Slack;

namespace Remediation.Tests.Slack;

/// <summary>Slack's worked example from api.slack.com/authentication/verifying-requests-from-slack, and what must fail.</summary>
public sealed class SlackSignatureTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string Expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
        + "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
        + "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");

    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    private static SlackSignature At(DateTimeOffset now) => new(new FixedClock(now));

    [Fact]
    public void Slacks_documented_example_signs_to_the_documented_signature() =>
        Assert.Equal(Expected, SlackSignature.Sign(Secret, Timestamp, Body));

    [Fact]
    public void Slacks_documented_example_verifies() => Assert.Null(At(SignedAt.AddSeconds(3)).Problem(Secret, Timestamp, Expected, Body));

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void A_request_exactly_five_minutes_off_still_verifies(int seconds) =>
        Assert.Null(At(SignedAt.AddSeconds(seconds)).Problem(Secret, Timestamp, Expected, Body));

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    [InlineData(86_400)]
    public void A_request_more_than_five_minutes_old_or_ahead_is_refused(int seconds) =>
        Assert.Contains("more than 5 minutes", At(SignedAt.AddSeconds(seconds)).Problem(Secret, Timestamp, Expected, Body));

    [Fact]
    public void A_forged_signature_is_refused() =>
        Assert.Equal("signature does not match",
            At(SignedAt).Problem(Secret, Timestamp, Expected[..^1] + "4", Body));

    [Fact]
    public void A_changed_body_is_refused()
    {
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("roadrunner", "wilecoyote"));
        Assert.Equal("signature does not match", At(SignedAt).Problem(Secret, Timestamp, Expected, tampered));
    }

    [Fact]
    public void A_signature_made_with_another_secret_is_refused() =>
        Assert.Equal("signature does not match", At(SignedAt).Problem("another-secret", Timestamp, Expected, Body));

    [Fact]
    public void A_replay_with_a_fresh_timestamp_but_the_old_signature_is_refused()
    {
        var now = SignedAt.AddHours(1);
        Assert.Equal("signature does not match",
            At(now).Problem(Secret, now.ToUnixTimeSeconds().ToString(), Expected, Body));
    }

    [Theory]
    [InlineData(null, "not configured")]
    [InlineData("", "not configured")]
    public void Without_a_signing_secret_everything_is_refused(string? secret, string problem) =>
        Assert.Contains(problem, At(SignedAt).Problem(secret, Timestamp, Expected, Body));

    [Theory]
    [InlineData(null, Expected, "missing X-Slack-Request-Timestamp")]
    [InlineData("", Expected, "missing X-Slack-Request-Timestamp")]
    [InlineData(Timestamp, null, "missing X-Slack-Signature")]
    [InlineData(Timestamp, "", "missing X-Slack-Signature")]
    [InlineData("1531420618.5", Expected, "malformed X-Slack-Request-Timestamp")]
    [InlineData("-1531420618", Expected, "malformed X-Slack-Request-Timestamp")]
    [InlineData("1531420618,1531420618", Expected, "malformed X-Slack-Request-Timestamp")]
    [InlineData(Timestamp, "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "malformed X-Slack-Signature")]
    [InlineData(Timestamp, "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "malformed X-Slack-Signature")]
    [InlineData(Timestamp, "v0=a2114d57b48eac39b9ad189dd8316235", "malformed X-Slack-Signature")]
    [InlineData(Timestamp, "v0=z2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "malformed X-Slack-Signature")]
    public void Missing_or_malformed_headers_are_refused(string? timestamp, string? signature, string problem) =>
        Assert.Equal(problem + " header", At(SignedAt).Problem(Secret, timestamp, signature, Body));
}
