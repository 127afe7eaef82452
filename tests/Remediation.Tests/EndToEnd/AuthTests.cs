using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Remediation.Tests.Infrastructure;

namespace Remediation.Tests.EndToEnd;

public sealed class AuthTests(Servers servers) : ServiceTests(servers)
{
    [Theory]
    [InlineData(null, "missing bearer token")]
    [InlineData("Basic dGVzdGVyOnRlc3Q=", "missing bearer token")]
    [InlineData("Bearer not-a-configured-token", "not one of the configured operator tokens")]
    public async Task Api_without_a_valid_token_is_401_with_the_reason(string? authorization, string reason)
    {
        var (status, detail, challenge) = await GetAsync("/api/nodes", authorization);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains(reason, detail);
        Assert.Equal("Bearer", challenge);
    }

    [Fact]
    public async Task Api_with_an_operator_token_answers()
    {
        var (status, _, _) = await GetAsync("/api/nodes", $"Bearer {ServiceUnderTest.Token}");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/metrics")]
    public async Task Health_and_metrics_need_no_token(string path)
    {
        var (status, _, _) = await GetAsync(path, authorization: null);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_service_without_configured_tokens_refuses_every_api_call()
    {
        await using var bare = await ServiceUnderTest.StartAsync(Servers, new Dictionary<string, string?> { ["Api:Tokens:tester"] = "" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/nodes");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "");
        var response = await bare.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("no API tokens are configured", await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, string Detail, string? Challenge)> GetAsync(string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var http = new HttpClient { BaseAddress = Service.Http.BaseAddress };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        var response = await http.SendAsync(request);
        var detail = response.StatusCode == HttpStatusCode.Unauthorized
            ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!
            : "";
        return (response.StatusCode, detail, response.Headers.WwwAuthenticate.FirstOrDefault()?.Scheme);
    }
}
