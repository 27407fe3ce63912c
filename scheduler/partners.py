"""Scheduled jobs of 共驻共建: points for hazard reports the chiefs took on, and the monthly
reports to each partner unit's contact on the 1st (双报告). Each job claims its rows in the
database first (services), so running twice (or in two processes) never repeats an effect;
what people see is the delivery layer's (`bot.delivery.partners`)."""

from __future__ import annotations

from linli.scheduler.jobs import JobContext, periodic
from linli.services import hazards, partner_reports


@periodic("partners.hazard_points", seconds=300)
async def hazard_points(ctx: JobContext) -> int:
    """Confirmed snap-and-report reports earn points (within the monthly limit); the
    reporters are told. Returns how many reports were settled."""
    cfg = ctx.settings.partners
    async with ctx.sessionmaker() as session:
        settled = await hazards.settle(
            session,
            ctx.now,
            points=cfg.hazard_points,
            monthly_max=cfg.hazard_monthly_max,
            tz=ctx.settings.tz,
        )
    await ctx.delivery.partners.hazards_settled(settled)
    return len(settled)


@periodic("partners.monthly_reports", cron={"day": 1, "hour": 9, "minute": 30})
async def monthly_reports(ctx: JobContext) -> int:
    """Last month's report (with its CSV) to each active unit's contact, once per unit and
    month. Returns how many were delivered."""
    async with ctx.sessionmaker() as session:
        reports = await partner_reports.claim_monthly(session, ctx.now, ctx.settings.tz)
        sent = 0
        for report in reports:
            if await ctx.delivery.partners.monthly_report(report):
                await partner_reports.mark_sent(session, report.report_id, ctx.now)
                sent += 1
    return sent
