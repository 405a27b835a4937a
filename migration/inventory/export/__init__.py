"""Write an inventory in third-party formats (sample exports, synthetic estates)."""
