"""The house's shape beyond the layers contract (pyproject.toml, `lint-imports`): no import cycle
between any two dashboard modules, inside a package as much as across packages."""

from __future__ import annotations

import grimp


def test_no_dashboard_module_imports_one_that_imports_it_back() -> None:
    graph = grimp.build_graph("dashboard")
    cycles = sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    )
    assert cycles == []


def test_views_figures_and_the_gate_never_import_dash() -> None:
    graph = grimp.build_graph("dashboard", "dash", "dash_bootstrap_components")
    for package in ("dashboard.views", "dashboard.figures", "dashboard.disclosure"):
        for module in graph.find_descendants(package) | {package}:
            for dash in ("dash", "dash_bootstrap_components"):
                assert not graph.chain_exists(importer=module, imported=dash), module
