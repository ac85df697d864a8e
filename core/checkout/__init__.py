"""Carts on their way to becoming orders: lines, addresses, delivery, voucher, payment and completion."""
