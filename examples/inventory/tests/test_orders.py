from inventory import Item, Stock, plan_reorders


def test_plan_reorders_orders_only_low_items_largest_cost_first():
    stock = Stock()
    stock.add_item(Item("NUT-M4", "M4 nut", 0.02, reorder_point=100, reorder_quantity=2000), quantity=10)
    stock.add_item(Item("WASHER", "Washer", 0.01, reorder_point=50, reorder_quantity=500), quantity=500)
    stock.add_item(Item("DRILL", "Drill", 45.0, reorder_point=2, reorder_quantity=5), quantity=1)
    orders = plan_reorders(stock)
    assert [order.sku for order in orders] == ["DRILL", "NUT-M4"]
    assert orders[0].cost == 225.0
