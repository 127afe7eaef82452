using System.Text.RegularExpressions;
using Remediation.Core.Nodes.Deciding;
using Remediation.Core.Runbooks;

namespace Remediation.Specs;

/// <summary>
/// NVLink5 Xids 144-150 are routed by what NVIDIA's "XID 144-150 Decode" table says about the unit, intrInfo and
/// errorStatus on their line, not by the Xid number: one Xid 149 needs a GPU reset, another nothing at all.
/// </summary>
public sealed partial class NvLinkXidSpecs
{
    [GeneratedRegex(@"Xid \((?<device>PCI:[0-9a-f:]+)\): (?<xid>\d+),")]
    private static partial Regex XidAndDevice();

    /// <summary>The real line holding <paramref name="fragment"/>, as the agent reports it.</summary>
    private static FaultInput Line(string fragment)
    {
        var line = RealLines.Line(fragment);
        var match = XidAndDevice().Match(line);
        return new(new FaultDetected("e-2", Node, FaultKinds.Xid, int.Parse(match.Groups["xid"].Value), match.Groups["device"].Value,
            line, T0, "kmsg", "train-a"));
    }

    [Theory]
    [InlineData("NETIR Fatal XC0 i0 Link -1 (0x000fe406", "NETIR", "RESET_GPU", "Link Fatal")]
    [InlineData("Link 00 (0x025001c6", "NETIR_LINK_EVT", "RESET_GPU", "Link Fatal")]
    [InlineData("Link 08 (0x004505c6", "NETIR_LINK_EVT", "RESET_GPU", "Link Fatal")]
    [InlineData("NETIR_LINK_EVT  Fatal   XC0 i0 Link 01", "NETIR_LINK_EVT", "RESET_GPU", "Link Fatal")]
    [InlineData("NETIR_BER_EVENT Nonfatal XC0 i0 Link 03", "NETIR_BER_EVENT", "IGNORE", "Non-fatal")]
    [InlineData("(PCI:0018:01:00): 145, RLW_RXPIPE", "RLW_RXPIPE", "IGNORE", "Non-fatal")]
    [InlineData("name=ray::WorkerDict, RLW_RXPIPE", "RLW_RXPIPE", "IGNORE", "Non-fatal")]
    [InlineData("RLW_SRC_TRACK Nonfatal XC1 i0 Link 12", "RLW_SRC_TRACK", "XID_154_EVAL", "Non-fatal")]
    [InlineData("name=cache_mgr_main, RLW_SRC_TRACK", "RLW_SRC_TRACK", "XID_154_EVAL", "Non-fatal")]
    [InlineData("SAW_MVB Nonfatal XC0 i0 Link 0 (", "SAW_MVB", "IGNORE", "Non-fatal")]
    public void Real_nvlink5_lines_decode_to_nvidias_verdict(string fragment, string unit, string action, string severity)
    {
        var fault = Line(fragment).Fault;

        var verdict = Runbooks.NvLink.Decode(fault.Xid!.Value, fault.Message);

        Assert.NotNull(verdict);
        Assert.Equal((unit, action, severity), (verdict.Fields.Unit, verdict.Rule.ImmediateAction, verdict.Rule.Severity));
    }

    [Fact]
    public void Xid149_nvidia_decodes_as_reset_gpu_starts_a_reset_of_that_gpu()
    {
        var outcome = Given().When(Line("Link 08 (0x004505c6")).ThenStatus(NodeStatus.Remediating);

        var started = outcome.Single<RunbookStarted>();
        Assert.Equal("gpu-reset", started.Runbook);
        Assert.Equal("Xid 149 NETIR_LINK_EVT Fatal link 8 errorStatus 0x00000000 (NVIDIA's NVLink5 decode: RESET_GPU, Link Fatal)", started.Reason);
        // The node is quarantined first; the reset that follows targets the GPU the Xid named.
        Assert.Equal(StepActions.Cordon, outcome.Single<StepDispatched>().Action);
        Assert.Equal("PCI:0008:01:00", outcome.State.Incident?.Device);
    }

    [Fact]
    public void Xid149_nvidia_decodes_as_ignore_is_only_recorded()
    {
        var reported = Given().When(Line("NETIR_BER_EVENT Nonfatal XC0 i0 Link 03")).ThenTypes(typeof(FaultReported))
            .ThenStatus(NodeStatus.Healthy).Single<FaultReported>();

        Assert.Null(reported.IncidentId);
        Assert.Equal("Xid 149 NETIR_BER_EVENT Nonfatal link 3 errorStatus 0x00000001 (NVIDIA's NVLink5 decode: IGNORE, Non-fatal); " +
            "nothing to do on the node", reported.Disposition);
    }

    [Fact]
    public void Xid145_left_to_an_accompanying_xid154_is_only_recorded()
    {
        Given().When(Line("RLW_SRC_TRACK Nonfatal XC1 i0 Link 12")).ThenTypes(typeof(FaultReported)).ThenStatus(NodeStatus.Healthy);
    }

    [Fact]
    public void Xid149_whose_line_cannot_be_decoded_still_goes_to_a_human()
    {
        var undecoded = new FaultInput(new FaultDetected("e-2", Node, FaultKinds.Xid, 149, "PCI:0008:01:00", null, T0, "alertmanager", "train-a"));

        var outcome = Given().When(undecoded).ThenStatus(NodeStatus.NeedsHuman);

        Assert.Contains("WORKFLOW_NVLINK5_ERR", outcome.Single<HandedToHuman>().Reason);
    }

    [Fact]
    public void Decode_table_holds_every_unit_of_xids_144_to_150()
    {
        var rules = Runbooks.NvLink.Rules;

        Assert.Equal(94, rules.Count);
        Assert.Equal([144, 145, 146, 147, 148, 149, 150], rules.Select(r => r.Xid).Distinct().Order());
        Assert.Equal(["IGNORE", "RESET_GPU", "XID_154_EVAL"], rules.Select(r => r.ImmediateAction).Distinct().Order());
    }

    [Fact]
    public void A_malformed_decode_row_stops_loading_with_its_file_and_line()
    {
        using var runbooks = new EditedRunbooks((NvLinkDecodeTable.FileName, "150\tMSE_WATCHDOG\t------000000", "150\tMSE_WATCHDOG\t-----000000"));

        var error = Assert.Throws<RunbookFileException>(() => RunbookLoader.LoadDirectory(runbooks.Dir));

        Assert.Equal((runbooks.PathOf(NvLinkDecodeTable.FileName), 101), (error.File, error.Line));
    }
}
