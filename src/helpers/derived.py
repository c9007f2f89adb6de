"""The derived series, declared as data: which inputs, which formula (a function named in
``helpers.formulas``), which title, unit and description. ``helpers.data.series(id)`` computes them.

To add one: append a ``Derived`` to ``DECLARED`` (its formula an existing function of ``helpers.formulas``,
or a new one there, taking the inputs in the order listed). ``tests/test_data.py`` checks that every
declaration names a formula that exists and inputs the package holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers import formulas


@dataclass(frozen=True)
class Derived:
    """A series the project computes from other series (inputs may name a vintage: ``"gdp_nominal@all"``)."""

    id: str
    title: str
    unit: str
    inputs: tuple[str, ...]
    formula: str
    description: str
    options: dict = field(default_factory=dict)
    vintage: str = "derived"

    def compute(self, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        """Rows of province, year, value (and vintage, if the formula keeps it) from the input frames."""
        function = getattr(formulas, self.formula, None)
        if function is None:
            raise KeyError(f"derived series {self.id!r}: no formula {self.formula!r} in helpers.formulas")
        return function(*(frames[name] for name in self.inputs), **self.options)


DECLARED: tuple[Derived, ...] = (
    Derived('gdp_real_growth',
            title='Real GDP growth',
            unit='%',
            inputs=('gdp_index',),
            formula='index_minus_100',
            description=(
                'gdp_index − 100 (the index at comparable prices, preceding year = 100, minus 100)'),),
    Derived('gdp_real_growth_latest',
            title='Real GDP growth, latest edition held',
            unit='%',
            inputs=('gdp_index@all',),
            formula='latest_edition_minus_100',
            vintage='per row',
            description=(
                'gdp_index − 100, each province-year taken from the most recent edition that holds it: the NBS '
                'portal series of 2025 (2016-2024), else that of 2021 (2000-2019), else a yearbook, else a first '
                'release. Each row keeps its vintage: a change of edition is a break in the line, not a change in'
                ' growth'),),
    Derived('gdp_per_capita_computed',
            title='GDP per capita computed from GDP and population',
            unit='yuan',
            inputs=('gdp_nominal', 'population_yearend'),
            formula='per_capita',
            vintage='nbs_portal_2025',
            description=(
                'gdp_nominal × 10^8 ÷ (average of the year-end population of the year and the year before, '
                "population_yearend × 10^4); rows for the 31 provinces, the Northeast and the '31 provinces' "
                'together; only years in which all 31 GDP figures and all 62 population figures each come from '
                'one source'),),
    Derived('gdp_per_capita_computed_relative',
            title='Computed GDP per capita relative to the 31 provinces together',
            unit='% of the 31-province level',
            inputs=('gdp_nominal', 'population_yearend'),
            formula='per_capita_relative',
            vintage='nbs_portal_2025',
            description=(
                '100 × gdp_per_capita_computed of a province ÷ that of the 31 provinces together, same year'),),
    Derived('gdp_per_capita_computed_rank',
            title='Rank of computed GDP per capita among the 31 provinces',
            unit='rank (1 = highest)',
            inputs=('gdp_nominal', 'population_yearend'),
            formula='per_capita_rank',
            vintage='nbs_portal_2025',
            description=(
                'rank of gdp_per_capita_computed among the 31 provinces in each year (ties share the better rank)'),),
    Derived('gdp_nominal_northeast',
            title='GDP of the Northeast (Liaoning + Jilin + Heilongjiang), current prices',
            unit='100 million yuan',
            inputs=('gdp_nominal',),
            formula='northeast_total',
            description=(
                'sum of gdp_nominal over the three provinces; only years where all three were read in the same '
                'source (one vintage)'),),
    Derived('northeast_share_gdp',
            title='Northeast share of national GDP',
            unit='%',
            inputs=('gdp_nominal',),
            formula='share_of_national',
            description=(
                '100 × (Liaoning + Jilin + Heilongjiang GDP) ÷ national GDP as published (gdp_nominal); only '
                'years where all four figures come from the same source (one vintage)'),),
    Derived('gdp_share_of_provinces',
            title="Share of the 31 provinces' summed GDP (each province and the Northeast)",
            unit='%',
            inputs=('gdp_nominal',),
            formula='shares_of_provinces',
            description=(
                "100 × a province's GDP (or Liaoning + Jilin + Heilongjiang for the Northeast) ÷ sum of the 31 "
                "provinces' GDP (gdp_nominal); only years where all 31 figures come from the same source (one "
                'vintage). Provincial figures summed exceed national GDP, so these shares run a little lower than'
                ' shares of national GDP'),),
    Derived('gdp_share_of_provinces_any_source',
            title="Share of the 31 provinces' summed GDP, in every year with 31 figures (sources may differ)",
            unit='%',
            inputs=('gdp_nominal',),
            formula='shares_of_provinces',
            options={'any_source': True},
            description=(
                'as gdp_share_of_provinces, but in every year where all 31 provinces have a figure in '
                'gdp_nominal, whatever its source. In the years that gdp_share_of_provinces leaves out (1993, '
                '1995, 2000-2004), 29 or 30 figures come from one source and the rest from provincial yearbooks '
                'of a later vintage, so the shares mix vintages: use them for the level and direction before '
                '2006, not for small year-to-year steps, and do not join them to the 2006-2024 vintage as one '
                'line'),),
    Derived('population_65plus_share_survey',
            title='Share of the population aged 65 and over, from the annual sample survey',
            unit='%',
            inputs=('population_sample_survey', 'population_sample_survey_65plus'),
            formula='share_in_sample',
            description=(
                '100 × population_sample_survey_65plus ÷ population_sample_survey, same province and year (both '
                'are counts in the NBS sample, so only their ratio is meaningful); no values in the census years '
                '2010 and 2020, whose shares are in population_65plus_share'),),
    Derived('old_age_dependency_ratio',
            title='Old-age dependency ratio at the census (people 65+ per 100 aged 15-64)',
            unit='per 100 aged 15-64',
            inputs=('population_65plus_share', 'population_0_14_share'),
            formula='dependency',
            description=(
                '100 × share aged 65+ (population_65plus_share) ÷ (100 − share aged 0-14 (population_0_14_share) '
                '− share aged 65+), same area and census year: 15-64 is what remains of 100 after the young and '
                'the old, since the communiqué gives 15-59 and 60+ but no 15-64 column'),),
    Derived('population_natural_increase',
            title='Natural increase of the population (births minus deaths)',
            unit='10,000 persons',
            inputs=('population_yearend', 'natural_growth_rate'),
            formula='natural_increase',
            description=(
                'natural_growth_rate ÷ 1000 × mean of the year-end population of the year and the year before '
                '(population_yearend); only years where all three figures are published'),),
    Derived('population_net_migration_residual',
            title='Net migration, estimated as the residual of population change',
            unit='10,000 persons',
            inputs=('population_yearend', 'natural_growth_rate'),
            formula='net_migration_residual',
            description=(
                'change in population_yearend over the year − population_natural_increase; the residual also '
                'absorbs any disagreement between the revised population series and the rates as first published,'
                ' so it is an estimate of net migration, not a count'),),
    Derived('trade_to_gdp',
            title='Foreign trade in goods relative to GDP (trade dependence)',
            unit='% of GDP',
            inputs=('trade_total', 'gdp_nominal'),
            formula='ratio_of_sums',
            description=(
                '100 × trade_total ÷ gdp_nominal, same province and year; the Northeast and the 31 provinces '
                'together divide summed trade by summed GDP; only years where all 31 figures of each series come '
                'from one source. Trade is a gross flow and GDP a value added, so the ratio is an index of '
                'openness, not a share of output'),),
    Derived('fiscal_self_sufficiency',
            title='Fiscal self-sufficiency (budget revenue ÷ budget expenditure)',
            unit='%',
            inputs=('budget_revenue', 'budget_expenditure'),
            formula='ratio_of_sums',
            description=(
                '100 × budget_revenue ÷ budget_expenditure, same province and year; the Northeast and the 31 '
                'provinces together divide summed revenue by summed expenditure'),),
    Derived('central_transfers_share_of_expenditure',
            title='Central subsidies as a share of budget expenditure',
            unit='%',
            inputs=('central_transfers', 'budget_expenditure'),
            formula='ratio_of_sums',
            description=(
                '100 × central_transfers ÷ budget_expenditure, same province and year (gross subsidies)'),),
    Derived('central_transfers_to_gdp',
            title='Central subsidies relative to GDP',
            unit='% of GDP',
            inputs=('central_transfers', 'gdp_nominal'),
            formula='ratio_of_sums',
            description=(
                '100 × central_transfers ÷ gdp_nominal, same province and year (gross subsidies)'),),
    Derived('central_transfers_per_capita',
            title='Central subsidies per resident',
            unit='yuan per person',
            inputs=('central_transfers', 'population_yearend'),
            formula='per_mean_population',
            description=(
                'central_transfers × 10^8 ÷ (average of the year-end population of the year and the year before, '
                'population_yearend × 10^4); aggregates divide summed subsidies by summed population'),),
    Derived('private_employment_per_100',
            title='Private and individual-business jobs per 100 residents',
            unit='per 100 residents',
            inputs=('private_employment', 'population_yearend'),
            formula='ratio_of_sums',
            description=(
                '100 × private_employment ÷ population_yearend (both in 10,000 persons), same province and year; '
                'the Northeast and the 31 provinces together divide summed jobs by summed population'),),
    Derived('private_share_of_registered_employment',
            title='Private share of registered non-farm employment',
            unit='%',
            inputs=('private_employment', 'urban_unit_employment'),
            formula='share_of_sum',
            description=(
                '100 × private_employment ÷ (private_employment + urban_unit_employment), same province and year;'
                ' urban units exclude private units, so the denominator is registered non-farm employment. Break '
                'in 2013, when urban-unit employment was revised after the economic census'),),
    Derived('state_unit_share_of_staff',
            title='Share of staff and workers employed by state-owned units',
            unit='%',
            inputs=('staff_workers_state', 'staff_workers_total'),
            formula='ratio',
            description=(
                '100 × staff_workers_state ÷ staff_workers_total, same area and year (only where both are held: '
                'China 1993-2008, 12-13 provinces in 2007-2008)'),),
    Derived('northeast_share_population',
            title='Northeast share of national year-end population',
            unit='%',
            inputs=('population_yearend',),
            formula='share_of_national',
            description=(
                '100 × (Liaoning + Jilin + Heilongjiang population) ÷ national population (population_yearend); '
                'only years where all four figures come from the same source (one vintage)'),),
    Derived('gdp_share_of_provinces_compendium',
            title="Share of the 31 provinces' summed GDP, 1978-2008 (60-year compendium vintage)",
            unit='%',
            inputs=('gdp_nominal@compendium_2010',),
            formula='shares_of_provinces',
            vintage='compendium_2010',
            description=(
                'as gdp_share_of_provinces, computed on gdp_nominal_compendium: one vintage for all 31 provinces '
                'in every year 1978-2008. Not to be joined to gdp_share_of_provinces (2006-2024) as one line: '
                '2006-2008 are in both and show the break'),),
    Derived('northeast_share_national_gdp_compendium',
            title='Northeast share of national GDP, 1978-2005 (60-year compendium edition)',
            unit='%',
            inputs=('gdp_nominal@compendium_2010',),
            formula='northeast_over_national',
            vintage='compendium_2010',
            description=(
                '100 × (Liaoning + Jilin + Heilongjiang GDP in gdp_nominal_compendium) ÷ national GDP in the same'
                ' file (China Statistical Yearbook 2010, table 2-1, the same post-2008-census national series); '
                'the measure the sources quote, beside gdp_share_of_provinces_compendium (a share of the '
                "provinces' sum)"),),
    Derived('gdp_per_capita_computed_compendium_relative',
            title='Computed GDP per capita relative to the 31 provinces together, 1979-2008 (compendium vintage)',
            unit='% of the 31-province level',
            inputs=('gdp_nominal@compendium_2010', 'population_yearend@compendium_2010'),
            formula='per_capita_relative',
            vintage='compendium_2010',
            description=(
                'as gdp_per_capita_computed_relative, computed on gdp_nominal_compendium and '
                "population_yearend_compendium (average of the year's opening and closing population, so 1979 is "
                'the first year). Before 2005 some provinces count registered, not resident, people (see the '
                'population notes), which raises their per-head figure where many residents are unregistered '
                'migrants and lowers it where registered people live elsewhere'),),
    Derived('secondary_industry_share',
            title="Secondary industry's share of GDP, 2019-2024 (NBS portal vintage 2025)",
            unit='%',
            inputs=('secondary_industry_va@nbs_portal_2025', 'gdp_nominal'),
            formula='ratio_of_sums',
            vintage='nbs_portal_2025',
            description=(
                '100 × secondary_industry_va (2025 vintage) ÷ gdp_nominal (the same 2025 vintage), same province '
                'and year; the Northeast and the 31 provinces divide summed value added by summed GDP'),),
    Derived('secondary_industry_share_2021',
            title="Secondary industry's share of GDP, 2000-2019 (NBS portal vintage 2021)",
            unit='%',
            inputs=('secondary_industry_va', 'gdp_nominal@nbs_portal_2021'),
            formula='ratio_of_sums',
            vintage='nbs_portal_2021',
            description=(
                '100 × secondary_industry_va ÷ gdp_nominal_portal_2021 (both of the 2021 vintage), same province '
                'and year; aggregates divide sums. Not to be joined to secondary_industry_share (2019-2024) as '
                'one line: 2019 is in both and shows the revision'),),
    Derived('gdp_per_capita_official_rank',
            title='Rank of official GDP per capita among the 31 provinces, 2019-2024 (as published, 2025 vintage)',
            unit='rank (1 = highest)',
            inputs=('gdp_per_capita@nbs_portal_2025',),
            formula='province_ranks',
            vintage='nbs_portal_2025',
            description=(
                'rank of gdp_per_capita (NBS portal vintage 2025, as published) among the 31 provinces in each '
                "year (ties share the better rank); beside gdp_per_capita_computed_rank, the book's own "
                'calculation'),),
    Derived('gdp_per_capita_official_rank_2021',
            title='Rank of official GDP per capita among the 31 provinces, 2000-2019 (as published, 2021 vintage)',
            unit='rank (1 = highest)',
            inputs=('gdp_per_capita@nbs_portal_2021',),
            formula='province_ranks',
            vintage='nbs_portal_2021',
            description=(
                'rank of gdp_per_capita (NBS portal vintage 2021, as published) among the 31 provinces in each '
                'year'),),
    Derived('transfer_payments_share_of_expenditure',
            title='Central transfer payments as a share of budget expenditure',
            unit='%',
            inputs=('central_transfer_payments', 'budget_expenditure'),
            formula='ratio_of_sums',
            description=(
                '100 × central_transfer_payments ÷ budget_expenditure, same province and year; the Northeast and '
                'the 31 provinces together divide summed transfers by summed expenditure (2019-2024; transfer '
                'payments exclude tax rebates)'),),
    Derived('transfer_payments_per_capita',
            title='Central transfer payments per resident',
            unit='yuan per person',
            inputs=('central_transfer_payments', 'population_yearend'),
            formula='per_mean_population',
            description=(
                'central_transfer_payments × 10^8 ÷ (average of the year-end population of the year and the year '
                'before, population_yearend × 10^4); aggregates divide summed transfers by summed population'),),
)

DERIVED: dict[str, Derived] = {spec.id: spec for spec in DECLARED}
