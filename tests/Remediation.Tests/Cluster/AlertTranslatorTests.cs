using Remediation.Contracts;
using Remediation.Service.Alertmanager;

namespace Remediation.Tests.Cluster;

public sealed class AlertTranslatorTests
{
    private static AlertBatch Translate(string fixture, AlertmanagerOptions? options = null)
    {
        options ??= new AlertmanagerOptions();
        Assert.True(AlertPayloadReader.TryRead(AlertFixtures.Bytes(fixture), out var payload, out var error), error);
        return new AlertTranslator(options, new AlertMapping(options)).Translate(payload!);
    }

    [Fact]
    public void A_real_payload_of_an_alert_that_is_no_gpu_fault_is_skipped()
    {
        var batch = Translate("alertmanager-v4-probe-failure.json");

        Assert.Empty(batch.Faults);
        var skipped = Assert.Single(batch.Skipped);
        Assert.Equal("ProbeFailure", skipped.AlertName);
        Assert.Equal("1a30ba71cca2921f", skipped.Fingerprint);
        Assert.Equal("no mapping to a fault kind", skipped.Reason);
    }

    [Fact]
    public void A_real_payload_whose_instance_is_a_url_names_no_node()
    {
        var options = new AlertmanagerOptions { Mappings = new() { ["ProbeFailure"] = FaultKinds.HealthCheckFailed } };

        var skipped = Assert.Single(Translate("alertmanager-v4-probe-failure.json", options).Skipped);

        Assert.Equal("no node label (looked at node, Hostname, instance)", skipped.Reason);
    }

    [Fact]
    public void Dcgm_alerts_become_faults_with_node_kind_xid_and_device()
    {
        var batch = Translate("alertmanager-v4-dcgm.json");

        Assert.Equal(3, batch.Faults.Count);
        var xid = batch.Faults[0];
        Assert.Equal(("gpu-node-am1", FaultKinds.Xid, 79), (xid.NodeId, xid.Kind, xid.Xid!.Value));
        Assert.Equal("PCI:00000000:3B:00.0", xid.Device);
        Assert.Equal("alertmanager", xid.Source);
        Assert.Equal("GPUXidError: Xid 79 on gpu-node-am1 GPU 3", xid.Message);
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T10:00:00.123Z"), xid.ObservedAt);
        Assert.Equal(("gpu-node-am2", FaultKinds.Ecc), (batch.Faults[1].NodeId, batch.Faults[1].Kind));
        Assert.Null(batch.Faults[1].Xid);
        Assert.Equal(("gpu-node-am3", FaultKinds.Thermal), (batch.Faults[2].NodeId, batch.Faults[2].Kind));
        Assert.All(batch.Faults, f => Assert.Null(FaultValidation.Validate(f)));
    }

    [Fact]
    public void Resolved_alerts_are_returned_not_published()
    {
        var resolved = Assert.Single(Translate("alertmanager-v4-dcgm.json").Resolved);

        Assert.Equal(("GPUXidError", "gpu-node-am4", "77aa55cc33ee1100"), (resolved.AlertName, resolved.NodeId, resolved.Fingerprint));
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T09:00:00Z"), resolved.EndsAt);
    }

    [Fact]
    public void The_event_id_is_the_same_for_alertmanagers_repeats_and_new_for_a_new_firing()
    {
        var first = Translate("alertmanager-v4-dcgm.json").Faults[0].EventId;
        var repeat = Translate("alertmanager-v4-dcgm.json").Faults[0].EventId;
        var refired = AlertTranslator.EventId(new AlertmanagerAlert("firing", null, null,
            DateTimeOffset.Parse("2026-11-25T12:00:00Z"), default, null, "5bd7c0b3f6d1a2e4"));

        Assert.Equal(first, repeat);
        Assert.Equal("alertmanager:5bd7c0b3f6d1a2e4:2026-11-25T10:00:00.1230000Z", first);
        Assert.NotEqual(first, refired);
    }

    [Fact]
    public void Configured_mappings_win_over_the_guesses_and_can_ignore_an_alert()
    {
        var options = new AlertmanagerOptions
        {
            Mappings = new() { ["GPUThermalViolation"] = "ignore", ["GPUEccDoubleBitErrors"] = FaultKinds.RowRemap },
        };

        var batch = Translate("alertmanager-v4-dcgm.json", options);

        Assert.Equal([FaultKinds.Xid, FaultKinds.RowRemap], batch.Faults.Select(f => f.Kind));
        Assert.Contains(batch.Skipped, s => s.AlertName == "GPUThermalViolation" && s.Reason == "no mapping to a fault kind");
    }

    [Fact]
    public void A_mapping_to_an_unknown_kind_stops_start_up_with_its_key() =>
        Assert.Contains("Alertmanager:Mappings:Foo",
            Assert.Throws<InvalidOperationException>(() => new AlertMapping(new AlertmanagerOptions { Mappings = new() { ["Foo"] = "cosmic" } })).Message);

    [Fact]
    public void The_node_comes_from_the_configured_labels_in_order()
    {
        var batch = Translate("alertmanager-v4-dcgm.json", new AlertmanagerOptions { NodeLabels = ["instance"] });

        Assert.Equal(["10.20.3.17", "10.20.3.18", "gpu-node-am3"], batch.Faults.Select(f => f.NodeId));
    }

    [Fact]
    public void An_xid_alert_without_an_xid_number_is_skipped_with_the_reason()
    {
        var json = AlertFixtures.Text("alertmanager-v4-dcgm.json")
            .Replace("\"value\": \"79\"", "\"other\": \"x\"").Replace("Xid 79", "an Xid").Replace("reported Xid 79.", "failed.");
        Assert.True(AlertPayloadReader.TryRead(System.Text.Encoding.UTF8.GetBytes(json), out var payload, out _));
        var options = new AlertmanagerOptions();

        var batch = new AlertTranslator(options, new AlertMapping(options)).Translate(payload!);

        Assert.Contains(batch.Skipped, s => s.AlertName == "GPUXidError" && s.Reason.StartsWith("an Xid alert without an Xid number"));
    }

    [Theory]
    [InlineData("{not json", "malformed JSON")]
    [InlineData("[]", "malformed JSON")]
    [InlineData("""{"alerts":[]}""", "version is missing")]
    [InlineData("""{"version":"3","alerts":[]}""", "unsupported payload version '3'")]
    [InlineData("""{"version":"4"}""", "alerts is missing")]
    [InlineData("""{"version":"4","alerts":[{"status":"pending","labels":{"alertname":"A"},"startsAt":"2026-11-25T10:00:00Z"}]}""", "alerts[0].status is 'pending'")]
    [InlineData("""{"version":"4","alerts":[{"status":"firing","labels":{"job":"x"},"startsAt":"2026-11-25T10:00:00Z"}]}""", "alerts[0] has no alertname label")]
    [InlineData("""{"version":"4","alerts":[{"status":"firing","labels":{"alertname":"A"}}]}""", "alerts[0].startsAt is missing")]
    [InlineData("""{"version":"4","alerts":[{"status":"firing","labels":{"alertname":"A"},"startsAt":"yesterday"}]}""", "malformed JSON")]
    public void Malformed_payloads_say_what_is_wrong(string body, string reason)
    {
        Assert.False(AlertPayloadReader.TryRead(System.Text.Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.StartsWith(reason, error);
    }
}
